//! `acctl billing` and `acctl invoices` of the real binary against a real
//! acctd on 127.0.0.1, signed in to its demo account (three years of
//! monthly Pro invoices and a card on file), as a script runs them (a
//! kernel session keyring per person, `support::cli`); skipped only when
//! `keyctl` is missing, never under CI.

use crate::support;

use acctl_api::billing::{InvoiceSummary, Money, Plan, minor_digits};
use support::cli::{Person, keyctl_present, run_with_input};
use support::pty::Terminal;
use support::server::TestServer;

fn demo() -> Option<(TestServer, Person)> {
    if !keyctl_present() {
        return None;
    }
    let server = TestServer::start();
    let (email, password) = server.seed_demo();
    let person = Person::new();
    let (code, stdout, stderr) = person.login_as(&server.url, &email, &password);
    assert_eq!(code, 0, "login: {stdout}{stderr}");
    Some((server, person))
}

/// As the CLI prints money, worked out here independently.
fn shown(money: &Money) -> String {
    let digits = minor_digits(&money.currency);
    let value = money.amount_minor as f64 / 10f64.powi(digits as i32);
    format!("{} {value:.prec$}", money.currency, prec = digits as usize)
}

fn money_of(value: &serde_json::Value) -> Money {
    serde_json::from_value(value.clone()).expect("money")
}

/// The amount after `label` on its line of `text`.
fn amount_after<'a>(text: &'a str, label: &str) -> &'a str {
    let line = text
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label:?} in {text}"));
    let rest = line[line.find(label).expect("label") + label.len()..].trim_start();
    // "EUR 12.00" and what may follow it.
    let end = rest
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .nth(1)
        .map_or(rest.len(), |(i, _)| i);
    rest[..end].trim_end_matches('.')
}

fn invoices(person: &Person, limit: &str) -> Vec<InvoiceSummary> {
    let stdout = person.ok(&["invoices", "list", "--json", "--limit", limit]);
    serde_json::from_str(&stdout).expect("a JSON array of invoices")
}

#[test]
fn show_and_plans_describe_the_plan_and_card() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let json = person.json(&["billing", "show", "--json"]);
    let subscription = &json["subscription"];
    assert_eq!(subscription["plan"], "pro");
    assert_eq!(subscription["interval"], "month");
    let text = person.ok(&["billing", "show"]);
    assert!(text.starts_with("Plan:     Pro (pro)\n"), "{text}");
    assert!(text.contains("Status:   active\n"), "{text}");
    assert!(text.contains("Renews:   "), "{text}");
    let price = shown(&money_of(&subscription["price"]));
    assert!(
        text.contains(&format!("Price:    {price} a month\n")),
        "{text}"
    );
    let card = &json["payment_method"];
    let last4 = card["last4"].as_str().expect("a card");
    assert!(
        text.contains(&format!("ending {last4}, expires ")),
        "{text}"
    );

    let plans: Vec<Plan> =
        serde_json::from_str(&person.ok(&["billing", "plans", "--json"])).expect("plans");
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["free", "pro", "team"]);
    let table = person.ok(&["billing", "plans"]);
    let pro = table
        .lines()
        .find(|l| l.contains(" pro "))
        .expect("pro row");
    assert!(pro.starts_with('*'), "{table}");
    assert!(pro.contains(&shown(&plans[1].monthly_price)), "{table}");
}

#[test]
fn change_with_yes_charges_what_the_preview_printed() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let before = invoices(&person, "1");
    let stdout = person.ok(&["billing", "change", "team", "--yes"]);
    assert!(
        stdout.starts_with("Change to Team, billed monthly:\n"),
        "{stdout}"
    );
    let due = amount_after(&stdout, "Due now:");
    let charged = amount_after(&stdout, "Charged");
    assert_eq!(due, charged, "{stdout}");
    let after = invoices(&person, "1");
    assert_ne!(after[0].id, before[0].id, "a new invoice");
    assert_eq!(shown(&after[0].total), due, "the invoice is what was shown");
    let json = person.json(&["billing", "show", "--json"]);
    assert_eq!(json["subscription"]["plan"], "team");
}

#[test]
fn change_without_a_terminal_or_yes_changes_nothing() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let (code, stdout, stderr) = person.run(&["billing", "change", "team", "--yearly"], "y\n");
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("Change to Team, billed yearly:"),
        "the price is shown: {stdout}"
    );
    assert!(
        stderr.contains("--yes") && stderr.contains("nothing was changed"),
        "{stderr}"
    );
    let json = person.json(&["billing", "show", "--json"]);
    assert_eq!(json["subscription"]["plan"], "pro");

    let (code, _, stderr) = person.run(&["billing", "change", "gold", "--yes"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("PLAN: there is no plan 'gold'; choose one of: free, pro, team"),
        "{stderr}"
    );
}

#[test]
fn at_a_terminal_the_change_waits_for_y() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let mut term = Terminal::spawn(person.in_terminal(&["billing", "change", "team"]), 100, 30);
    term.wait_for("[y/N]");
    term.type_text("n\r");
    assert_eq!(term.wait_exit(), 1, "{}", term.screen());
    assert!(
        term.screen().contains("nothing was changed"),
        "{}",
        term.screen()
    );
    let json = person.json(&["billing", "show", "--json"]);
    assert_eq!(json["subscription"]["plan"], "pro", "no is no");

    let mut term = Terminal::spawn(person.in_terminal(&["billing", "change", "team"]), 100, 30);
    let due = term.wait_for("[y/N]");
    term.type_text("y\r");
    assert_eq!(term.wait_exit(), 0, "{}", term.screen());
    let screen = term.screen();
    assert!(screen.contains("Plan changed to Team"), "{screen}");
    assert_eq!(
        amount_after(&screen, "Charged"),
        amount_after(&due, "Due now:")
    );
    let json = person.json(&["billing", "show", "--json"]);
    assert_eq!(json["subscription"]["plan"], "team");
}

#[test]
fn cancel_then_resume() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let stdout = person.ok(&["billing", "cancel"]);
    assert!(stdout.starts_with("Your Pro plan ends on "), "{stdout}");
    assert!(stdout.contains("billing resume`"), "{stdout}");
    let json = person.json(&["billing", "show", "--json"]);
    assert_eq!(json["subscription"]["cancel_at_period_end"], true);
    assert!(person.ok(&["billing", "show"]).contains("Ends:     "));

    let stdout = person.ok(&["billing", "resume"]);
    assert!(
        stdout.starts_with("Your Pro plan continues; it renews on "),
        "{stdout}"
    );
    let json = person.json(&["billing", "show", "--json"]);
    assert_eq!(json["subscription"]["cancel_at_period_end"], false);
}

#[test]
fn invoices_list_pages_through_to_the_limit_without_repeats() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let thirty = invoices(&person, "30");
    assert_eq!(thirty.len(), 30, "more than one page of 20");
    let mut ids: Vec<&str> = thirty.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 30, "no repeats");
    assert!(
        thirty.windows(2).all(|w| w[0].issued_at >= w[1].issued_at),
        "newest first"
    );
    let all = invoices(&person, "500");
    assert_eq!(all.len(), 36, "every one, then the cursor ends");
    assert_eq!(&all[..30], &thirty[..]);

    let table = person.ok(&["invoices", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].ends_with("TOTAL"),
        "{table}"
    );
    assert_eq!(lines.len(), 1 + 20 + 2, "header, 20, two footers: {table}");
    assert!(lines[1].contains(&thirty[0].number), "{table}");
    assert!(lines[1].ends_with(&shown(&thirty[0].total)), "{table}");
    assert!(
        table.ends_with("Showing the newest 20; pass --limit for more.\n"),
        "{table}"
    );
}

#[test]
fn download_writes_a_pdf_and_will_not_overwrite() {
    let Some((_server, person)) = demo() else {
        return;
    };
    let newest = invoices(&person, "1").remove(0);
    let dir = person.path("pdfs");
    std::fs::create_dir_all(&dir).expect("dir");
    let download = |extra: &[&str]| {
        let mut args = vec!["invoices", "download", newest.id.as_str()];
        args.extend_from_slice(extra);
        let mut command = person.acctl(&args);
        command.current_dir(&dir);
        run_with_input(&mut command, "")
    };
    let (code, stdout, stderr) = download(&[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let name = format!("{}.pdf", newest.number);
    assert_eq!(stdout.trim(), name);
    assert!(stderr.contains("Downloading: 100%"), "{stderr}");
    let bytes = std::fs::read(dir.join(&name)).expect("the PDF");
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{:?}",
        &bytes[..bytes.len().min(16)]
    );

    let (code, _, stderr) = download(&[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    let (code, _, stderr) = download(&["--force"]);
    assert_eq!(code, 0, "{stderr}");
    let files: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(files.len(), 1, "no part file left: {files:?}");

    let (code, _, stderr) = person.run(&["invoices", "download", "no-such-invoice"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("acctl invoices list"), "{stderr}");
}

const COMMANDS: &[&[&str]] = &[
    &["billing", "show"],
    &["billing", "plans"],
    &["billing", "change", "team", "--yes"],
    &["billing", "cancel"],
    &["billing", "resume"],
    &["invoices", "list", "--json"],
    &[
        "invoices",
        "download",
        "in_1",
        "--output",
        "/nonexistent-dir/x.pdf",
    ],
];

#[test]
fn signed_out_they_answer_as_sessions_list_does() {
    support::cli::assert_signed_out_like_sessions_list(COMMANDS);
}

#[test]
fn an_unreachable_server_exits_3() {
    let Some((mut server, person)) = demo() else {
        return;
    };
    server.stop();
    person.assert_each_unreachable(COMMANDS.iter().copied(), "");
}
