//! Which file column feeds each field of a format: the header row read, the format detected.

use std::collections::{BTreeMap, HashMap};

use csv::StringRecord;

use super::super::Source;
use super::super::columns::FileColumn;
use super::super::csv_file;
use super::super::formats::{self, Dialect, Target};
use super::normalize_header;
use crate::domain::{Field, escaped};
use crate::tr;

/// Which file column holds each field of a format.
pub(super) struct Mapping {
    pub(super) dialect: Dialect,
    pub(super) index: HashMap<Target, usize>,
    pub(super) headers: Vec<String>,
    /// What each column feeds (None: a header the format does not know).
    pub(super) targets: Vec<Option<Target>>,
    pub(super) unknown: Vec<String>,
    /// Headers of the format that Forsat does not keep.
    pub(super) ignored: Vec<String>,
    /// Headers naming a column an earlier header already named.
    pub(super) repeated: Vec<String>,
    /// The further columns of a target several may feed ([`Target::takes_several`]), in
    /// the file's order after the one in `index`.
    further: HashMap<Target, Vec<usize>>,
    /// Whether the header row has one of the format's signature headers.
    pub(super) signed: bool,
}

impl Mapping {
    /// The format's mapping of `headers`, then the user's `choices` over it (see
    /// [`ImportOptions::columns`]).
    pub(super) fn new(
        source: Source,
        headers: &[String],
        choices: &BTreeMap<usize, Target>,
    ) -> Mapping {
        let keys: HashMap<String, Target> = formats::headers(source)
            .into_iter()
            .map(|(h, t)| (normalize_header(h), t))
            .collect();
        let signature = formats::signature(source);
        let mut signed = false;
        let mut targets: Vec<Option<Target>> = headers
            .iter()
            .map(|header| {
                let key = normalize_header(header);
                signed |= signature.contains(&key.as_str());
                keys.get(&key).copied()
            })
            .collect();
        let mut index = HashMap::new();
        // The user's choices first, so a chosen target is taken from the header that had it.
        for (&i, &target) in choices.iter().filter(|(i, _)| **i < headers.len()) {
            targets[i] = Some(target);
            if target != Target::Ignored {
                index.insert(target, i);
            }
        }
        let mut unknown = Vec::new();
        let mut ignored = Vec::new();
        let mut repeated = Vec::new();
        let mut further: HashMap<Target, Vec<usize>> = HashMap::new();
        for (i, header) in headers.iter().enumerate() {
            if choices.contains_key(&i) {
                continue;
            }
            match targets[i] {
                Some(Target::Ignored) => ignored.push(header.clone()),
                Some(target) if !index.contains_key(&target) => {
                    index.insert(target, i);
                }
                Some(target)
                    if target.takes_several() && !choices.values().any(|t| *t == target) =>
                {
                    further.entry(target).or_default().push(i);
                }
                Some(target) => {
                    // Named by the user elsewhere: this column quietly gives way.
                    if !choices.values().any(|t| *t == target) {
                        repeated.push(header.clone());
                    }
                    targets[i] = Some(Target::Ignored);
                }
                None if header.trim().is_empty() => {}
                None => unknown.push(header.clone()),
            }
        }
        Mapping {
            dialect: Dialect::of(source),
            index,
            headers: headers.to_vec(),
            targets,
            unknown,
            ignored,
            repeated,
            further,
            signed,
        }
    }

    /// The mapping of the format the header row is in: one of the format's signature
    /// headers, more known columns than unknown ones, and the most known columns.
    pub(super) fn detect(headers: &[String]) -> Option<Mapping> {
        let mut best: Option<Mapping> = None;
        for source in formats::DETECTED {
            let mapping = Mapping::new(source, headers, &BTreeMap::new());
            let known = mapping.known();
            if mapping.signed
                && known > mapping.unknown.len()
                && best.as_ref().is_none_or(|b| known > b.known())
            {
                best = Some(mapping);
            }
        }
        best
    }

    /// What the user is told of the columns: those ignored, and how Odoo's sales team is read.
    pub(super) fn notes(&self) -> Vec<String> {
        let format = self.dialect.source;
        let mut notes = Vec::new();
        for header in &self.unknown {
            let header = escaped(header);
            notes.push(if format == Source::Forsat {
                tr!(
                    "column “{header}” is not a Forsat column: ignored",
                    header = header
                )
            } else {
                tr!(
                    "column “{header}” is not a {format} column Forsat knows: ignored",
                    header = header,
                    format = format.label()
                )
            });
        }
        for header in &self.ignored {
            notes.push(tr!(
                "column “{header}” has nothing to go to in Forsat: not imported",
                header = escaped(header)
            ));
        }
        for header in &self.repeated {
            notes.push(tr!(
                "column “{header}” repeats an earlier column: ignored",
                header = escaped(header)
            ));
        }
        if let Some(i) = self.position(FileColumn::Field(Field::Pipeline))
            && format == Source::Odoo
            && matches!(
                normalize_header(&self.headers[i]).as_str(),
                "salesteam" | "teamid"
            )
        {
            notes.push(tr!(
            "column “{header}”: each deal's sales team is its pipeline (in Odoo a sales team has its own pipeline)",
            header = escaped(&self.headers[i])
        ));
        }
        notes
    }

    /// How many headers the format knows.
    fn known(&self) -> usize {
        self.index.len() + self.ignored.len() + self.further.values().map(Vec::len).sum::<usize>()
    }

    /// Every column feeding the target, in the file's order.
    pub(super) fn columns_of(&self, target: Target) -> impl Iterator<Item = usize> + '_ {
        let further = self.further.get(&target).map_or(&[][..], Vec::as_slice);
        self.index.get(&target).into_iter().chain(further).copied()
    }

    /// Where the column is in the file.
    pub(super) fn position(&self, column: FileColumn) -> Option<usize> {
        self.index.get(&Target::Column(column)).copied()
    }

    /// The column's header as the file writes it, or its key when the file lacks it.
    pub(super) fn header(&self, column: FileColumn) -> String {
        self.position(column)
            .map_or_else(|| column.key().to_owned(), |i| self.headers[i].clone())
    }

    /// The target's header as the file writes it.
    pub(super) fn target_header(&self, target: Target) -> String {
        match target {
            Target::Column(column) => self.header(column),
            _ => self
                .index
                .get(&target)
                .map_or_else(String::new, |&i| self.headers[i].clone()),
        }
    }

    /// The target's cell of a record, apostrophe guard removed.
    pub(super) fn cell<'r>(&self, record: &'r StringRecord, target: Target) -> Option<&'r str> {
        let i = *self.index.get(&target)?;
        record.get(i).map(csv_file::restore)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_ignore_case_spaces_underscores_and_a_trailing_colon() {
        assert_eq!(normalize_header(" Expected Close: "), "expectedclose");
        assert_eq!(normalize_header("expected_close"), "expectedclose");
        let headers = |hs: &[&str]| -> Vec<String> { hs.iter().map(|h| (*h).to_owned()).collect() };
        let mapping = Mapping::detect(&headers(&["Account:", "STAGE", "Colour"])).expect("Forsat");
        assert_eq!(mapping.dialect.source, Source::Forsat);
        assert_eq!(mapping.unknown, vec!["Colour".to_owned()]);
        let detected = |hs: &[&str]| Mapping::detect(&headers(hs)).map(|m| m.dialect.source);
        assert_eq!(
            detected(&["Opportunity", "Customer", "Expected Revenue", "Stage"]),
            Some(Source::Odoo)
        );
        assert_eq!(
            detected(&["name", "partner_id", "expected_revenue", "stage_id"]),
            Some(Source::Odoo)
        );
        assert_eq!(
            detected(&[
                "Opportunity Name",
                "Opportunity Amount",
                "Sales Stage",
                "Account Name"
            ]),
            Some(Source::Suitecrm)
        );
        assert_eq!(
            detected(&["Deal - Title", "DEAL - VALUE:", "deal -  status"]),
            Some(Source::Pipedrive)
        );
        assert_eq!(detected(&["Colour", "Size"]), None);
    }
}
