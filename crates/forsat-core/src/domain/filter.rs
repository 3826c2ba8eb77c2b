//! What a search keeps: the fields of the filter bar and the advanced search, saved by name.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ForecastCategory, ForecastChoice, Id, Opportunity, StageKind};
use crate::tr;

/// Which expected-close dates to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseWindow {
    #[default]
    Any,
    Overdue,
    ThisWeek,
    ThisMonth,
    ThisQuarter,
}

impl CloseWindow {
    pub const ALL: [CloseWindow; 5] = [
        CloseWindow::Any,
        CloseWindow::Overdue,
        CloseWindow::ThisWeek,
        CloseWindow::ThisMonth,
        CloseWindow::ThisQuarter,
    ];

    pub fn label(self) -> String {
        match self {
            CloseWindow::Any => tr!("Any time"),
            CloseWindow::Overdue => tr!("Overdue"),
            CloseWindow::ThisWeek => tr!("This week"),
            CloseWindow::ThisMonth => tr!("This month"),
            CloseWindow::ThisQuarter => tr!("This quarter"),
        }
    }

    /// Whether a deal closing on `date` falls in the window, seen from `today`. Weeks start on
    /// the day the settings say.
    pub fn contains(self, opp: &Opportunity, today: NaiveDate) -> bool {
        let Some(date) = opp.expected_close else {
            return self == CloseWindow::Any;
        };
        let (start, end) = match self {
            CloseWindow::Any => return true,
            CloseWindow::Overdue => return opp.is_overdue(today),
            CloseWindow::ThisWeek => super::Every::Week.bounds(today),
            CloseWindow::ThisMonth => super::Every::Month.bounds(today),
            CloseWindow::ThisQuarter => super::Every::Quarter.bounds(today),
        };
        start <= date && date < end
    }
}

/// Active deals, archived ones, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[default]
    Active,
    Archived,
    All,
    /// Active deals that sat in their stage longer than its threshold.
    Stale,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Active, Status::Archived, Status::All, Status::Stale];

    pub fn label(self) -> String {
        match self {
            Status::Active => tr!("Active"),
            Status::Archived => tr!("Archived"),
            Status::All => tr!("Active and archived"),
            Status::Stale => tr!("Stale (in their stage too long)"),
        }
    }
}

/// Which deals the list shows by where they stand: open, won or lost (by their stage's kind),
/// all of them, or those in the trash. The board always shows the open ones in its columns.
///
/// Stored in saved searches where a `trash: bool` once was: `All` and `Trash` are that bool's
/// two encodings (postcard writes both as one byte 0 or 1), so a search saved before the list
/// had this choice still decodes, and still shows what it showed then: every deal outside the
/// trash, or the trash. New variants go at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Show {
    /// Every deal outside the trash, open or closed.
    All,
    /// The deals in the trash, whatever their stage.
    Trash,
    /// Deals in an open stage: what needs work, as on the board.
    #[default]
    Open,
    Won,
    Lost,
}

impl Show {
    /// The choices over the list, in the order they are offered (the trash has its own toggle).
    pub const OUTCOMES: [Show; 4] = [Show::Open, Show::Won, Show::Lost, Show::All];

    pub fn label(self) -> String {
        match self {
            Show::All => tr!("All"),
            Show::Trash => tr!("Trash"),
            Show::Open => tr!("Open"),
            Show::Won => tr!("Won"),
            Show::Lost => tr!("Lost"),
        }
    }

    /// Whether a deal outside the trash in a stage of `kind` is shown.
    pub fn shows(self, kind: StageKind) -> bool {
        match self {
            Show::All | Show::Trash => true,
            Show::Open => kind == StageKind::Open,
            Show::Won => kind == StageKind::Won,
            Show::Lost => kind == StageKind::Lost,
        }
    }
}

/// What the board and the list show. The default shows every active deal in an open stage.
///
/// Stored (postcard) in saved searches: a field is only ever changed for one whose encoding
/// reads the old one's bytes the same (see `stages` and `show`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Matched, ignoring case, against the deal's name, account, next step and description.
    pub text: String,
    pub salesperson: Option<Id>,
    pub close: CloseWindow,
    /// Deals in any of these stages; none picked: every stage. Once an `Option<Id>`, whose
    /// encodings (0, or 1 and the id) are those of an empty or one-stage list.
    pub stages: Vec<Id>,
    pub source: Option<Id>,
    pub campaign: Option<Id>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount_min: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount_max: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub probability_min: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub probability_max: Option<Decimal>,
    /// Expected close from this day on (inclusive).
    pub close_from: Option<NaiveDate>,
    /// Expected close up to this day (inclusive).
    pub close_to: Option<NaiveDate>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    pub status: Status,
    /// Only deals in this forecast category, or following their stage.
    pub forecast: Option<ForecastFilter>,
    /// Open, won, lost or all deals, or the trash (the list's trash view).
    pub show: Show,
}

/// What the search's forecast choice finds. The first two variants are stored as the bytes of
/// the bool saved searches of schema 6 and older kept ("in the forecast" false, true), and
/// find what it found: the deals left out, and the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ForecastFilter {
    /// The deals in Omitted, by their own choice or their stage's.
    Omitted,
    /// The deals in any category but Omitted (a won or lost deal unless left out by hand).
    InForecast,
    /// The deals that follow their stage's category.
    Stage,
    Pipeline,
    BestCase,
    Commit,
}

impl ForecastFilter {
    pub const ALL: [ForecastFilter; 6] = [
        ForecastFilter::InForecast,
        ForecastFilter::Stage,
        ForecastFilter::Pipeline,
        ForecastFilter::BestCase,
        ForecastFilter::Commit,
        ForecastFilter::Omitted,
    ];

    /// Whether a deal of forecast `choice` in a stage of category `stage` (None: a won or
    /// lost stage) is found: an open deal by its category, its own or its stage's; a closed
    /// one by its own choice.
    pub fn matches(self, choice: ForecastChoice, stage: Option<ForecastCategory>) -> bool {
        let category = choice.category_in(stage);
        match self {
            ForecastFilter::Stage => choice == ForecastChoice::Stage,
            ForecastFilter::InForecast => category != Some(ForecastCategory::Omitted),
            ForecastFilter::Omitted => category == Some(ForecastCategory::Omitted),
            ForecastFilter::Pipeline => category == Some(ForecastCategory::Pipeline),
            ForecastFilter::BestCase => category == Some(ForecastCategory::BestCase),
            ForecastFilter::Commit => category == Some(ForecastCategory::Commit),
        }
    }
}

/// A filter the user named, to pick again later from the board or the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFilter {
    pub id: Id,
    pub name: String,
    pub filter: Filter,
}

fn within<T: PartialOrd>(value: Option<T>, min: Option<T>, max: Option<T>) -> bool {
    match value {
        Some(v) => min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m),
        None => min.is_none() && max.is_none(),
    }
}

impl Filter {
    /// Whether the filter shows every active deal in an open stage (nothing to clear).
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.only_text()
    }

    /// Whether the filter asks for nothing but its text (which may be empty).
    pub fn only_text(&self) -> bool {
        *self
            == Filter {
                text: self.text.clone(),
                ..Filter::default()
            }
    }

    /// Whether the list shows the trash instead of the other deals.
    pub fn is_trash(&self) -> bool {
        self.show == Show::Trash
    }

    /// Whether the forecast filter lets a deal of forecast `choice` in a stage of category
    /// `stage` through (None: a won or lost stage).
    pub fn matches_forecast(
        &self,
        choice: ForecastChoice,
        stage: Option<ForecastCategory>,
    ) -> bool {
        self.forecast.is_none_or(|f| f.matches(choice, stage))
    }

    /// Whether the fields that need no other record let `opp` through (all but the text, the
    /// trash, the stage's kind and the forecast category, which need the account's name, the
    /// trash and the stage).
    pub fn matches_fields(&self, opp: &Opportunity, today: NaiveDate) -> bool {
        // The trash view shows every trashed deal, archived or not.
        let status = self.is_trash()
            || match self.status {
                // Whether an active deal is stale needs its stage: the workspace checks that.
                Status::Active | Status::Stale => opp.active,
                Status::Archived => !opp.active,
                Status::All => true,
            };
        let lookup = |wanted: Option<Id>, value: Option<Id>| wanted.is_none() || wanted == value;
        status
            && (self.stages.is_empty() || self.stages.contains(&opp.stage))
            && lookup(self.salesperson, opp.salesperson)
            && lookup(self.source, opp.source)
            && lookup(self.campaign, opp.campaign)
            && self.close.contains(opp, today)
            && within(Some(opp.amount), self.amount_min, self.amount_max)
            && within(
                Some(opp.probability),
                self.probability_min,
                self.probability_max,
            )
            && within(opp.expected_close, self.close_from, self.close_to)
            && within(
                Some(opp.created.date_naive()),
                self.created_from,
                self.created_to,
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_windows_are_calendar_periods() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(); // a Sunday
        let opp_dates = |d: Option<NaiveDate>| CloseWindow::ALL.map(|w| w.contains(&opp(d), today));
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day);
        // Any, Overdue, ThisWeek, ThisMonth, ThisQuarter
        assert_eq!(opp_dates(d(11, 16)), [true, true, true, true, true]);
        assert_eq!(opp_dates(d(11, 15)), [true, true, false, true, true]);
        assert_eq!(opp_dates(d(11, 30)), [true, false, false, true, true]);
        assert_eq!(opp_dates(d(12, 31)), [true, false, false, false, true]);
        assert_eq!(opp_dates(d(9, 30)), [true, true, false, false, false]);
        assert_eq!(opp_dates(None), [true, false, false, false, false]);
    }

    #[test]
    fn the_forecast_filter_finds_open_deals_by_category_and_closed_ones_by_their_choice() {
        use ForecastCategory as C;
        use ForecastChoice as D;
        let found = |filter: ForecastFilter| {
            [
                (D::Stage, Some(C::BestCase)),
                (D::Commit, Some(C::Pipeline)),
                (D::Stage, Some(C::Omitted)),
                (D::Stage, None),
                (D::Omitted, None),
            ]
            .map(|(choice, stage)| filter.matches(choice, stage))
        };
        assert_eq!(
            found(ForecastFilter::InForecast),
            [true, true, false, true, false]
        );
        assert_eq!(
            found(ForecastFilter::Omitted),
            [false, false, true, false, true]
        );
        assert_eq!(
            found(ForecastFilter::Stage),
            [true, false, true, true, false]
        );
        assert_eq!(
            found(ForecastFilter::BestCase),
            [true, false, false, false, false]
        );
        assert_eq!(
            found(ForecastFilter::Commit),
            [false, true, false, false, false]
        );
        // A search saved as "in the forecast" (a bool true) reads as in the forecast.
        let saved: Option<ForecastFilter> = postcard::from_bytes(&[1, 1]).unwrap();
        assert_eq!(saved, Some(ForecastFilter::InForecast));
    }

    /// The filter as saved searches stored it before the list had its status and several
    /// stages: one stage at most, and the trash as a bool.
    #[derive(Serialize)]
    struct FilterBefore {
        text: String,
        salesperson: Option<Id>,
        close: CloseWindow,
        stage: Option<Id>,
        source: Option<Id>,
        campaign: Option<Id>,
        #[serde(with = "rust_decimal::serde::str_option")]
        amount_min: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str_option")]
        amount_max: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str_option")]
        probability_min: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str_option")]
        probability_max: Option<Decimal>,
        close_from: Option<NaiveDate>,
        close_to: Option<NaiveDate>,
        created_from: Option<NaiveDate>,
        created_to: Option<NaiveDate>,
        status: Status,
        forecast: Option<bool>,
        trash: bool,
    }

    fn before(stage: Option<Id>, trash: bool) -> FilterBefore {
        FilterBefore {
            text: "Müller".into(),
            salesperson: Some(7),
            close: CloseWindow::ThisMonth,
            stage,
            source: None,
            campaign: Some(9),
            amount_min: Some(Decimal::new(125_050, 2)),
            amount_max: None,
            probability_min: None,
            probability_max: Some(Decimal::from(70)),
            close_from: NaiveDate::from_ymd_opt(2026, 1, 31),
            close_to: None,
            created_from: None,
            created_to: NaiveDate::from_ymd_opt(2026, 11, 22),
            status: Status::Stale,
            forecast: Some(false),
            trash,
        }
    }

    #[test]
    fn a_search_saved_before_the_status_and_stages_choices_decodes_as_it_was() {
        let decode = |old: &FilterBefore| -> Filter {
            let bytes = postcard::to_stdvec(old).unwrap();
            let (filter, rest) = postcard::take_from_bytes::<Filter>(&bytes).unwrap();
            assert!(rest.is_empty(), "every byte read");
            filter
        };
        let filter = decode(&before(Some(4_503_599_627_370_495), false));
        assert_eq!(filter.stages, [4_503_599_627_370_495]);
        // It showed every deal outside the trash, open or closed, and still does.
        assert_eq!(filter.show, Show::All);
        assert_eq!(filter.text, "Müller");
        assert_eq!(filter.salesperson, Some(7));
        assert_eq!(filter.campaign, Some(9));
        assert_eq!(filter.amount_min, Some(Decimal::new(125_050, 2)));
        assert_eq!(filter.probability_max, Some(Decimal::from(70)));
        assert_eq!(filter.created_to, NaiveDate::from_ymd_opt(2026, 11, 22));
        assert_eq!(filter.status, Status::Stale);
        // Out of the forecast, as the deals it found still are.
        assert_eq!(filter.forecast, Some(ForecastFilter::Omitted));
        let trash = decode(&before(None, true));
        assert!(trash.stages.is_empty());
        assert_eq!(trash.show, Show::Trash);
        // And what this build writes reads back whole, several stages included.
        let now = Filter {
            stages: vec![3, 5],
            show: Show::Lost,
            ..filter
        };
        let bytes = postcard::to_stdvec(&now).unwrap();
        assert_eq!(postcard::from_bytes::<Filter>(&bytes).unwrap(), now);
    }

    #[test]
    fn the_status_follows_the_stage_kind() {
        use StageKind::*;
        let shown = |show: Show| [Open, Won, Lost].map(|k| show.shows(k));
        assert_eq!(shown(Show::Open), [true, false, false]);
        assert_eq!(shown(Show::Won), [false, true, false]);
        assert_eq!(shown(Show::Lost), [false, false, true]);
        assert_eq!(shown(Show::All), [true, true, true]);
        assert_eq!(Filter::default().show, Show::Open);
    }

    fn opp(expected_close: Option<NaiveDate>) -> Opportunity {
        let mut opp = crate::domain::test_support::opportunity(1, 3, "Acme");
        opp.expected_close = expected_close;
        opp
    }
}
