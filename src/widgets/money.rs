//! Amounts of money for people: the currency's digits, and the grouping,
//! decimal mark and symbol position of the account's language. Exact: the
//! integer minor units are split, never passed through a float.

use acctl_api::billing::{Money, minor_digits};

/// No-break space: between a number and a symbol written after it.
const NBSP: char = '\u{a0}';
/// Narrow no-break space: French groups thousands with it.
const NNBSP: char = '\u{202f}';

/// How a language writes an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    group: char,
    decimal: char,
    /// The symbol after the number ("1.234,56 €"), not before ("€1,234.56").
    symbol_after: bool,
    /// A space between a leading symbol and the number ("€ 1.234,56").
    space_before_number: bool,
    /// Integer parts of fewer digits are not grouped (Spanish: "1234,56 €").
    min_grouping: usize,
}

const ENGLISH: Style = Style {
    group: ',',
    decimal: '.',
    symbol_after: false,
    space_before_number: false,
    min_grouping: 4,
};

const GERMAN: Style = Style {
    group: '.',
    decimal: ',',
    symbol_after: true,
    space_before_number: false,
    min_grouping: 4,
};

/// The style for a BCP 47 tag; English for languages not listed.
fn style(language: &str) -> Style {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "de" | "it" | "pt" | "da" => GERMAN,
        "es" => Style {
            min_grouping: 5,
            ..GERMAN
        },
        "nl" => Style {
            symbol_after: false,
            space_before_number: true,
            ..GERMAN
        },
        "fr" => Style {
            group: NNBSP,
            ..GERMAN
        },
        "sv" | "nb" | "no" | "fi" | "pl" | "cs" => Style {
            group: NBSP,
            ..GERMAN
        },
        _ => ENGLISH,
    }
}

/// The currency's sign where there is a well-known one, else its code.
fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        other => other,
    }
}

/// `money` as the account's `language` writes it: "€1,234.56" (en),
/// "1.234,56 €" (de), "1 234,56 €" (fr, narrow no-break spaces), "-€5.00"
/// for a credit. A currency without a sign is written with its code
/// ("CHF 12.00", "12,00 CHF").
pub fn format_money(money: &Money, language: &str) -> String {
    let style = style(language);
    let digits = minor_digits(&money.currency);
    let number = number(money.amount_minor.unsigned_abs(), digits, &style);
    let sign = if money.amount_minor < 0 { "-" } else { "" };
    let symbol = symbol(&money.currency);
    // A code reads as a word, so it always stands apart from the number.
    let is_code = symbol == money.currency;
    if style.symbol_after {
        format!("{sign}{number}{NBSP}{symbol}")
    } else if style.space_before_number || is_code {
        format!("{sign}{symbol}{NBSP}{number}")
    } else {
        format!("{sign}{symbol}{number}")
    }
}

/// The unsigned number with `digits` after the decimal mark, grouped.
fn number(minor: u64, digits: u32, style: &Style) -> String {
    let scale = 10u64.pow(digits);
    let whole = group((minor / scale).to_string(), style);
    if digits == 0 {
        return whole;
    }
    let fraction = minor % scale;
    let width = digits as usize;
    format!("{whole}{}{fraction:0width$}", style.decimal)
}

/// Thousands separated by the style's mark, once there are enough digits.
fn group(digits: String, style: &Style) -> String {
    if digits.len() < style.min_grouping {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(style.group);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(minor: i64, currency: &str, language: &str) -> String {
        format_money(&Money::new(minor, currency), language)
    }

    #[test]
    fn english_puts_the_symbol_first_and_groups_with_commas() {
        assert_eq!(fmt(123_456, "EUR", "en"), "€1,234.56");
        assert_eq!(fmt(123_456, "USD", "en-US"), "$1,234.56");
        assert_eq!(fmt(999, "GBP", "en-GB"), "£9.99");
        assert_eq!(fmt(5, "EUR", "en"), "€0.05");
        assert_eq!(fmt(0, "EUR", "en"), "€0.00");
        assert_eq!(fmt(100_000_000, "USD", "en"), "$1,000,000.00");
    }

    #[test]
    fn german_and_its_neighbours_write_comma_decimals_and_the_symbol_after() {
        assert_eq!(fmt(123_456, "EUR", "de"), "1.234,56\u{a0}€");
        assert_eq!(fmt(123_456, "EUR", "de-AT"), "1.234,56\u{a0}€");
        assert_eq!(fmt(123_456, "EUR", "it"), "1.234,56\u{a0}€");
        assert_eq!(fmt(1_234_567_890, "EUR", "pt-BR"), "12.345.678,90\u{a0}€");
        assert_eq!(fmt(999, "EUR", "de"), "9,99\u{a0}€");
    }

    #[test]
    fn french_groups_with_narrow_no_break_spaces() {
        assert_eq!(fmt(123_456, "EUR", "fr"), "1\u{202f}234,56\u{a0}€");
        assert_eq!(
            fmt(123_456_789, "EUR", "fr-CA"),
            "1\u{202f}234\u{202f}567,89\u{a0}€"
        );
    }

    #[test]
    fn spanish_leaves_four_digits_ungrouped_and_dutch_leads_with_the_symbol() {
        assert_eq!(fmt(123_456, "EUR", "es"), "1234,56\u{a0}€");
        assert_eq!(fmt(1_234_567, "EUR", "es-ES"), "12.345,67\u{a0}€");
        assert_eq!(fmt(123_456, "EUR", "nl"), "€\u{a0}1.234,56");
        assert_eq!(fmt(123_456, "SEK", "sv"), "1\u{a0}234,56\u{a0}SEK");
    }

    #[test]
    fn the_currency_decides_the_digits() {
        assert_eq!(fmt(1_235, "JPY", "en"), "¥1,235");
        assert_eq!(fmt(1_235, "JPY", "ja"), "¥1,235");
        assert_eq!(fmt(1_234_567, "KWD", "en"), "KWD\u{a0}1,234.567");
        assert_eq!(fmt(1_005, "BHD", "de"), "1,005\u{a0}BHD");
        assert_eq!(fmt(1_200, "CHF", "en"), "CHF\u{a0}12.00");
    }

    #[test]
    fn credits_are_negative_before_the_symbol() {
        assert_eq!(fmt(-500, "EUR", "en"), "-€5.00");
        assert_eq!(fmt(-123_456, "EUR", "de"), "-1.234,56\u{a0}€");
        assert_eq!(fmt(-123_456, "EUR", "fr"), "-1\u{202f}234,56\u{a0}€");
        assert_eq!(fmt(-1, "JPY", "en"), "-¥1");
        // The most negative amount has no positive twin in i64.
        assert_eq!(fmt(i64::MIN, "USD", "en"), "-$92,233,720,368,547,758.08");
    }

    #[test]
    fn unknown_or_odd_language_tags_fall_back_to_english() {
        assert_eq!(fmt(123_456, "EUR", "tlh"), "€1,234.56");
        assert_eq!(fmt(123_456, "EUR", ""), "€1,234.56");
        assert_eq!(fmt(123_456, "EUR", "DE_de"), "1.234,56\u{a0}€");
    }
}
