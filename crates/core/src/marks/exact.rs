//! Exact rational numbers for marks, weights, thresholds and averages.
//!
//! Averages of marks are compared against thresholds such as 4.65, and a what-if answer says
//! "exactly 2 more marks": both must not depend on binary floating point (4.65 has no exact
//! `f64`, and sums of thirds drift). A [`Fraction`] is a reduced `i128` numerator over a positive
//! `i128` denominator. Arithmetic is checked (`None` on overflow) and comparison is exact without
//! any multiplication that could overflow (it walks the continued-fraction expansion).
//!
//! Text form: `"4"`, `"4.65"` (a comma is accepted too: `"4,65"`), `"-0.25"`, `"1/3"`. That is
//! also the serde form, so a stored setting such as a ± offset of one third stays exactly 1/3.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An exact rational number, always reduced, with a positive denominator.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fraction {
    num: i128,
    den: i128,
}

/// Why a text or a pair of integers is not a fraction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FractionError {
    /// A zero denominator.
    #[error("the denominator is zero")]
    ZeroDenominator,
    /// The text is not a number such as `4`, `4.65`, `4,65` or `1/3`.
    #[error("«{0}» is not a number (expected something like 4, 4.65, 4,65 or 1/3)")]
    Malformed(String),
    /// Too many digits to hold exactly.
    #[error("«{0}» has too many digits")]
    TooLong(String),
}

/// The most digits a parsed number may have (keeps every later sum far from overflow).
const MAX_DIGITS: usize = 18;

/// The greatest common divisor of |a| and |b| (0 when both are 0).
///
/// Binary (Stein's) algorithm: shifts and subtractions only, since 128-bit division is a slow
/// library call and sums of marks reduce a fraction at every step.
fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    if a == 0 || b == 0 {
        return (a | b) as i128;
    }
    if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
        return i128::from(gcd_u64(x, y));
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return (a << shift) as i128;
        }
    }
}

fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl Fraction {
    /// Zero.
    pub const ZERO: Fraction = Fraction { num: 0, den: 1 };
    /// One.
    pub const ONE: Fraction = Fraction { num: 1, den: 1 };

    /// `num / den`, reduced.
    pub fn new(num: i128, den: i128) -> Result<Self, FractionError> {
        if den == 0 {
            return Err(FractionError::ZeroDenominator);
        }
        Ok(Self::reduced(num, den))
    }

    /// An integer.
    pub const fn integer(value: i64) -> Self {
        Self { num: value as i128, den: 1 }
    }

    /// `num / den` for a non-zero `den` (callers guarantee it).
    fn reduced(num: i128, den: i128) -> Self {
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = -num;
            den = -den;
        }
        Self { num, den }
    }

    /// Parses `4`, `4.65`, `4,65`, `-0.25`, `1/3` (spaces around are ignored).
    pub fn parse(text: &str) -> Result<Self, FractionError> {
        let t = text.trim();
        let malformed = || FractionError::Malformed(text.to_owned());
        if let Some((n, d)) = t.split_once('/') {
            let n = parse_decimal(n.trim(), text)?;
            let d = parse_decimal(d.trim(), text)?;
            if d.num == 0 {
                return Err(FractionError::ZeroDenominator);
            }
            return n.checked_div(d).ok_or_else(malformed);
        }
        parse_decimal(t, text)
    }

    /// The numerator (sign carrier).
    pub const fn numer(&self) -> i128 {
        self.num
    }

    /// The denominator (always positive).
    pub const fn denom(&self) -> i128 {
        self.den
    }

    /// Whether the value is a whole number.
    pub const fn is_integer(&self) -> bool {
        self.den == 1
    }

    /// Whether the value is greater than zero.
    pub const fn is_positive(&self) -> bool {
        self.num > 0
    }

    /// Whether the value is less than zero.
    pub const fn is_negative(&self) -> bool {
        self.num < 0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        let g = gcd(self.den, other.den);
        let (bd, dd) = (self.den / g, other.den / g);
        let num = self.num.checked_mul(dd)?.checked_add(other.num.checked_mul(bd)?)?;
        let den = self.den.checked_mul(dd)?;
        Some(Self::reduced(num, den))
    }

    /// `self − other`, or `None` on overflow.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.checked_add(Self { num: other.num.checked_neg()?, den: other.den })
    }

    /// `self · other`, or `None` on overflow.
    pub fn checked_mul(self, other: Self) -> Option<Self> {
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(other.num / g2)?;
        let den = (self.den / g2).checked_mul(other.den / g1)?;
        Some(Self::reduced(num, den))
    }

    /// `self / other`, or `None` on overflow or division by zero.
    pub fn checked_div(self, other: Self) -> Option<Self> {
        if other.num == 0 {
            return None;
        }
        self.checked_mul(Self::reduced(other.den, other.num))
    }

    /// The greatest integer ≤ self.
    pub const fn floor(&self) -> i128 {
        self.num.div_euclid(self.den)
    }

    /// The least integer ≥ self.
    pub const fn ceil(&self) -> i128 {
        -((-self.num).div_euclid(self.den))
    }

    /// Rounded to `places` decimals, halves away from zero upward (4.645 → 4.65 at 2 places;
    /// −0.5 → 0 at 0 places). This is the "школьное" rounding a school states in its rule.
    pub fn round_half_up(&self, places: u8) -> Self {
        let scale = 10i128.pow(u32::from(places.min(MAX_DIGITS as u8)));
        // x = q + r/den with 0 ≤ r < den; result = (q·scale + floor((2·r·scale + den) / 2·den)) / scale.
        let q = self.floor();
        let r = self.num - q * self.den;
        let units = (r * scale * 2 + self.den).div_euclid(self.den * 2);
        Self::reduced(q * scale + units, scale)
    }

    /// Rounded up to `places` decimals (the least multiple of 10^−places that is ≥ self).
    pub fn ceil_to(&self, places: u8) -> Self {
        let scale = 10i128.pow(u32::from(places.min(MAX_DIGITS as u8)));
        let q = self.floor();
        let r = self.num - q * self.den;
        let units = Self::reduced(r * scale, self.den).ceil();
        Self::reduced(q * scale + units, scale)
    }

    /// The nearest `f64` (for charts only; never for decisions).
    pub fn to_f64(&self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Whether the decimal expansion ends (the denominator has only the factors 2 and 5).
    pub fn is_terminating(&self) -> bool {
        let mut d = self.den;
        while d % 2 == 0 {
            d /= 2;
        }
        while d % 5 == 0 {
            d /= 5;
        }
        d == 1
    }

    /// The value written with exactly `places` decimals after rounding half up, with a `.`
    /// separator: `Fraction(40/9).decimal(2) == "4.44"`.
    pub fn decimal(&self, places: u8) -> String {
        let r = self.round_half_up(places);
        let scale = 10i128.pow(u32::from(places.min(MAX_DIGITS as u8)));
        let scaled = r.num * (scale / r.den);
        let sign = if scaled < 0 { "-" } else { "" };
        let abs = scaled.abs();
        let (int, frac) = (abs / scale, abs % scale);
        if places == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0width$}", width = usize::from(places))
        }
    }

    /// The shortest exact text: a terminating decimal (`4.65`, `5`) or `n/d` (`1/3`; also for
    /// decimals longer than 18 places).
    pub fn exact_text(&self) -> String {
        let (mut d, mut twos, mut fives) = (self.den, 0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        let places = twos.max(fives);
        if d == 1 && places <= MAX_DIGITS as u32 {
            self.decimal(places as u8)
        } else {
            format!("{}/{}", self.num, self.den)
        }
    }
}

fn parse_decimal(t: &str, original: &str) -> Result<Fraction, FractionError> {
    let malformed = || FractionError::Malformed(original.to_owned());
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.split_once(['.', ',']) {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(malformed());
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(malformed());
    }
    if int.len() + frac.len() > MAX_DIGITS {
        return Err(FractionError::TooLong(original.to_owned()));
    }
    let digits = format!("{int}{frac}");
    let n: i128 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| malformed())? };
    let den = 10i128.pow(frac.len() as u32);
    Ok(Fraction::reduced(if neg { -n } else { n }, den))
}

impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        // Compare a/b with c/d by their continued fractions: no product can overflow.
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        let mut flipped = false;
        loop {
            let (q1, q2) = (a.div_euclid(b), c.div_euclid(d));
            if q1 != q2 {
                let o = q1.cmp(&q2);
                return if flipped { o.reverse() } else { o };
            }
            let (r1, r2) = (a - q1 * b, c - q2 * d);
            match (r1 == 0, r2 == 0) {
                (true, true) => return Ordering::Equal,
                (true, false) => return if flipped { Ordering::Greater } else { Ordering::Less },
                (false, true) => return if flipped { Ordering::Less } else { Ordering::Greater },
                (false, false) => {
                    // r1/b vs r2/d  ⇔  d/r2 vs b/r1 (reversed).
                    (a, b, c, d) = (b, r1, d, r2);
                    flipped = !flipped;
                }
            }
        }
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<i64> for Fraction {
    fn from(value: i64) -> Self {
        Self::integer(value)
    }
}

impl From<u32> for Fraction {
    fn from(value: u32) -> Self {
        Self::integer(i64::from(value))
    }
}

impl From<u64> for Fraction {
    fn from(value: u64) -> Self {
        Self { num: i128::from(value), den: 1 }
    }
}

impl FromStr for Fraction {
    type Err = FractionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Fraction {
    type Error = FractionError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Fraction> for String {
    fn from(value: Fraction) -> Self {
        value.exact_text()
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.exact_text())
    }
}

impl fmt::Debug for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn f(text: &str) -> Fraction {
        Fraction::parse(text).unwrap()
    }

    fn check_parse(text: &str, expected: Result<(i128, i128), FractionError>) {
        assert_eq!(Fraction::parse(text).map(|x| (x.numer(), x.denom())), expected, "{text}");
    }

    #[test]
    fn parsing() {
        check_parse("4", Ok((4, 1)));
        check_parse("4.65", Ok((93, 20)));
        check_parse(" 4,65 ", Ok((93, 20)));
        check_parse("-0.25", Ok((-1, 4)));
        check_parse("1/3", Ok((1, 3)));
        check_parse("2 / -4", Ok((-1, 2)));
        check_parse(".5", Ok((1, 2)));
        check_parse("1/576460752303423488", Ok((1, 576460752303423488)));
        check_parse("1/0", Err(FractionError::ZeroDenominator));
        check_parse("четыре", Err(FractionError::Malformed("четыре".into())));
        check_parse("", Err(FractionError::Malformed(String::new())));
        check_parse("4.6.5", Err(FractionError::Malformed("4.6.5".into())));
        check_parse(
            "1234567890123456789",
            Err(FractionError::TooLong("1234567890123456789".into())),
        );
    }

    fn check_round(value: &str, places: u8, expected: &str) {
        assert_eq!(f(value).round_half_up(places), f(expected), "{value} at {places}");
    }

    #[test]
    fn rounding() {
        check_round("4.645", 2, "4.65");
        check_round("4.6449", 2, "4.64");
        check_round("40/9", 2, "4.44");
        check_round("2.5", 0, "3");
        check_round("-0.5", 0, "0");
        check_round("-0.51", 0, "-1");
        check_round("4.65", 1, "4.7");
        assert_eq!(f("4.641").ceil_to(2), f("4.65"));
        assert_eq!(f("4.64").ceil_to(2), f("4.64"));
    }

    #[test]
    fn texts() {
        for (value, decimal2, exact) in
            [("40/9", "4.44", "40/9"), ("4.65", "4.65", "4.65"), ("-1/4", "-0.25", "-0.25")]
        {
            assert_eq!(f(value).decimal(2), decimal2);
            assert_eq!(f(value).exact_text(), exact);
        }
        assert_eq!(f("5").decimal(0), "5");
        assert_eq!(f("1/576460752303423488").exact_text(), "1/576460752303423488");
        assert_eq!(f("1/1024").exact_text(), "0.0009765625");
        assert_eq!(serde_json::to_string(&f("1/3")).unwrap(), "\"1/3\"");
        assert!(serde_json::from_str::<Fraction>("\"x\"").is_err());
    }

    fn arb() -> impl Strategy<Value = Fraction> {
        (-10_000i128..10_000, 1i128..1_000).prop_map(|(n, d)| Fraction::new(n, d).unwrap())
    }

    proptest! {
        #[test]
        fn gcd_agrees_with_euclid(a in any::<i64>(), b in any::<i64>(), big in 0i128..(1i128 << 100)) {
            fn euclid(mut a: i128, mut b: i128) -> i128 {
                (a, b) = (a.abs(), b.abs());
                while b != 0 {
                    (a, b) = (b, a % b);
                }
                a
            }
            let (a, b) = (i128::from(a), i128::from(b));
            prop_assert_eq!(gcd(a, b), euclid(a, b));
            prop_assert_eq!(gcd(big, b), euclid(big, b));
            prop_assert_eq!(gcd(big * 6, big * 4), euclid(big * 6, big * 4));
        }

        #[test]
        fn order_agrees_with_cross_multiplication(a in arb(), b in arb()) {
            let expected = (a.numer() * b.denom()).cmp(&(b.numer() * a.denom()));
            prop_assert_eq!(a.cmp(&b), expected);
        }

        #[test]
        fn arithmetic_is_exact(a in arb(), b in arb()) {
            let sum = a.checked_add(b).unwrap();
            prop_assert_eq!(sum.checked_sub(b).unwrap(), a);
            if b != Fraction::ZERO {
                prop_assert_eq!(a.checked_div(b).unwrap().checked_mul(b).unwrap(), a);
            }
            prop_assert!(Fraction::from(a.floor() as i64) <= a);
            prop_assert!(Fraction::from(a.ceil() as i64) >= a);
        }

        #[test]
        fn text_round_trips(a in arb()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Fraction>(&json).unwrap(), a);
        }
    }
}
