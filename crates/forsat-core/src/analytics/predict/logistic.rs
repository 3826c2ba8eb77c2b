//! L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
//! squares) over sparse rows. The model has a few dozen weights, so each step solves its
//! small normal equations exactly (Cholesky): a handful of passes over the rows converge,
//! with no learning rate to tune and the same answer on every machine.

/// Rows of sparse features (feature index and value; index 0 is the intercept, in every row)
/// with their labels.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    entries: Vec<(u16, f32)>,
    ends: Vec<u32>,
    labels: Vec<bool>,
}

impl Rows {
    /// Adds a row: its features (the intercept is added) and whether it was won.
    pub fn push(&mut self, features: impl IntoIterator<Item = (u16, f32)>, won: bool) {
        self.entries.push((0, 1.0));
        self.entries.extend(features);
        self.ends.push(self.entries.len() as u32);
        self.labels.push(won);
    }

    fn len(&self) -> usize {
        self.labels.len()
    }

    fn each(&self) -> impl Iterator<Item = (&[(u16, f32)], bool)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .zip(&self.labels)
            .map(|((start, &end), &won)| (&self.entries[start as usize..end as usize], won))
    }
}

/// The sum of a row's weighted features: its log-odds.
fn log_odds(weights: &[f64], row: &[(u16, f32)]) -> f64 {
    row.iter()
        .map(|&(i, x)| weights.get(usize::from(i)).copied().unwrap_or(0.0) * f64::from(x))
        .sum()
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The weights (`dims` of them, the intercept first) that maximise the rows' log-likelihood
/// less `lambda / 2` times the sum of squared weights (the intercept is not penalised).
pub fn fit(rows: &Rows, dims: usize, lambda: f64) -> Vec<f64> {
    let mut weights = vec![0.0; dims];
    let won = rows.labels.iter().filter(|&&w| w).count() as f64;
    let n = rows.len() as f64;
    if n == 0.0 {
        return weights;
    }
    // Start from the overall rate, so the first step is small.
    let rate = ((won + 0.5) / (n + 1.0)).clamp(1e-6, 1.0 - 1e-6);
    weights[0] = (rate / (1.0 - rate)).ln();
    let mut hessian = vec![0.0; dims * dims];
    let mut gradient = vec![0.0; dims];
    for _ in 0..50 {
        hessian.fill(0.0);
        for (i, g) in gradient.iter_mut().enumerate() {
            *g = if i == 0 { 0.0 } else { -lambda * weights[i] };
        }
        for (row, label) in rows.each() {
            let p = sigmoid(log_odds(&weights, row));
            let residual = f64::from(u8::from(label)) - p;
            let curvature = (p * (1.0 - p)).max(1e-12);
            for &(a, xa) in row {
                let (a, xa) = (usize::from(a), f64::from(xa));
                gradient[a] += residual * xa;
                for &(b, xb) in row {
                    let b = usize::from(b);
                    if b <= a {
                        hessian[a * dims + b] += curvature * xa * f64::from(xb);
                    }
                }
            }
        }
        for i in 1..dims {
            hessian[i * dims + i] += lambda;
        }
        // A feature no row has (left in by the vocabulary) keeps a zero weight.
        for i in 0..dims {
            if hessian[i * dims + i] == 0.0 {
                hessian[i * dims + i] = 1.0;
            }
        }
        // A step that is not a number (an overflow on data no test foresaw) ends the fit at
        // the weights before it, which are.
        let Some(step) =
            solve(&mut hessian, dims, &gradient).filter(|s| s.iter().all(|x| x.is_finite()))
        else {
            break;
        };
        let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        for (w, s) in weights.iter_mut().zip(&step) {
            *w += s;
        }
        if largest < 1e-7 {
            break;
        }
    }
    weights
}

/// Solves `a x = b` for a symmetric positive definite `a` whose lower triangle is filled
/// (overwritten by its Cholesky factor); None when it is not positive definite.
fn solve(a: &mut [f64], n: usize, b: &[f64]) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| a[i * n + k] * y[k]).sum();
        y[i] = (b[i] - s) / a[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[k * n + i] * x[k]).sum();
        x[i] = (y[i] - s) / a[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_finds_the_rates_of_one_hot_groups() {
        // Two groups: 30 of 40 won in the first, 10 of 40 in the second. Unpenalised, the
        // fitted probabilities are the groups' rates.
        let mut rows = Rows::default();
        for i in 0..40 {
            rows.push([(1, 1.0)], i < 30);
            rows.push([(2, 1.0)], i < 10);
        }
        let w = fit(&rows, 3, 1e-9);
        let p1 = sigmoid(w[0] + w[1]);
        let p2 = sigmoid(w[0] + w[2]);
        assert!((p1 - 0.75).abs() < 1e-6, "{p1}");
        assert!((p2 - 0.25).abs() < 1e-6, "{p2}");
        // Penalised, both are drawn towards the overall rate.
        let w = fit(&rows, 3, 10.0);
        let q1 = sigmoid(w[0] + w[1]);
        assert!(q1 < 0.75 && q1 > 0.5, "{q1}");
    }

    #[test]
    fn a_numeric_feature_recovers_its_slope() {
        // log-odds = -1 + 2x on a grid, labels drawn as their expected shares.
        let mut rows = Rows::default();
        for step in 0..=20 {
            let x = f64::from(step) / 10.0;
            let p = sigmoid(-1.0 + 2.0 * x);
            let won = (p * 1000.0).round() as usize;
            for i in 0..1000 {
                rows.push([(1, x as f32)], i < won);
            }
        }
        let w = fit(&rows, 2, 1e-9);
        assert!((w[0] + 1.0).abs() < 0.01, "{w:?}");
        assert!((w[1] - 2.0).abs() < 0.01, "{w:?}");
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = vec![4.0, 0.0, 2.0, 3.0];
        let x = solve(&mut a, 2, &[2.0, 2.0]).unwrap();
        // [[4,2],[2,3]] x = [2,2] -> x = [0.25, 0.5]
        assert!(
            (x[0] - 0.25).abs() < 1e-12 && (x[1] - 0.5).abs() < 1e-12,
            "{x:?}"
        );
    }
}
