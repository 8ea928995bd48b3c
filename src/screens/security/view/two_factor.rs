//! Drawing two-factor sign-in's enrolment (the QR code and the secret to
//! type) and recovery codes on show: each takes the whole body.

use super::*;

impl SecurityScreen {
    pub(super) fn render_enrolment(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        ui: &Ui<'_>,
        e: &Enrolment,
    ) {
        let qr_lines = e.qr.as_ref().map(|qr| (qr.size(), qr.lines(e.invert)));
        let fits = qr_lines
            .as_ref()
            .is_some_and(|((w, h), _)| *w + 30 <= area.width && *h <= area.height);
        let text_area = match (&qr_lines, fits) {
            (Some(((w, h), lines)), true) => {
                let top = area.y + (area.height - h) / 2;
                let qr_area = Rect::new(area.x, top, *w, *h);
                let text: Vec<Line> = lines.iter().map(|l| Line::raw(l.clone())).collect();
                frame.render_widget(Paragraph::new(text), qr_area);
                Rect::new(area.x + w + 1, area.y, area.width - w - 1, area.height)
            }
            _ => area.inner(Margin::new(1, 0)),
        };
        let width = usize::from(text_area.width.saturating_sub(1));
        let mut lines: Vec<Line> = vec![
            Line::styled("Set up two-factor sign-in", ui.theme.title),
            Line::default(),
        ];
        let push = |lines: &mut Vec<Line>, words: &str, style| {
            lines.extend(
                wrap(words, width)
                    .into_iter()
                    .map(|l| Line::styled(l, style)),
            );
        };
        match (&qr_lines, fits) {
            (Some(_), true) => push(
                &mut lines,
                "1. Scan the code with your authenticator app, or type this key:",
                ui.theme.text,
            ),
            (Some(((w, h), _)), false) => {
                let note = format!(
                    "The QR code needs {w}x{h} character cells and {}x{} are free here: enlarge the terminal to scan it, or type this key into your app:",
                    area.width, area.height
                );
                push(&mut lines, &note, ui.theme.warning);
            }
            (None, _) => push(&mut lines, "1. Type this key into your app:", ui.theme.text),
        }
        for chunk in e.grouped_key().split(' ').collect::<Vec<_>>().chunks(4) {
            lines.push(Line::styled(
                format!("   {}", chunk.join(" ")),
                ui.theme.label_focused,
            ));
        }
        push(
            &mut lines,
            "or open this link on the device:",
            ui.theme.muted,
        );
        push(&mut lines, e.uri.expose(), ui.theme.muted);
        lines.push(Line::default());
        push(
            &mut lines,
            "2. Enter the 6-digit code the app shows:",
            ui.theme.text,
        );
        let field_y = text_area.y + lines.len() as u16;
        frame.render_widget(Paragraph::new(lines), text_area);
        if field_y < text_area.bottom() {
            let rest = Rect::new(
                text_area.x,
                field_y,
                text_area.width,
                text_area.bottom() - field_y,
            );
            let used = e.code.render(frame, rest, ui, true);
            let hint_y = field_y + used;
            if hint_y < text_area.bottom() {
                let mut hints = Vec::new();
                if let Some(k) = ui.key(Scope::List, Command::Invert) {
                    hints.push(format!("{k} invert QR"));
                }
                if let Some(k) = ui.key(Scope::List, Command::Copy) {
                    hints.push(format!("{k} copy key"));
                }
                let row = Rect::new(text_area.x, hint_y, text_area.width, 1);
                let line = Line::styled(hints.join("  "), ui.theme.key_hint);
                frame.render_widget(Paragraph::new(line), row);
            }
        }
    }
}

pub(super) fn render_codes(frame: &mut Frame<'_>, area: Rect, ui: &Ui<'_>, codes: &ShownCodes) {
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", codes.heading), ui.theme.title))
        .border_style(ui.theme.border_focused);
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    let intro = "Your recovery codes. Each signs you in once if your authenticator is lost. They are shown only now: copy them or save them to a file, and keep them somewhere safe.";
    lines.extend(
        wrap(intro, width)
            .into_iter()
            .map(|l| Line::styled(l, ui.theme.text)),
    );
    lines.push(Line::default());
    let half = codes.codes.len().div_ceil(2);
    for row in 0..half {
        let mut text = String::new();
        for (column, index) in [row, row + half].into_iter().enumerate() {
            if let Some(code) = codes.codes.get(index) {
                if column == 1 {
                    text.push_str("      ");
                }
                text.push_str(&format!("{:>4}. {}", index + 1, code.expose()));
            }
        }
        lines.push(Line::styled(text, ui.theme.label_focused));
    }
    lines.push(Line::default());
    if let Some(path) = &codes.saved_to {
        let saved = format!("Saved to {} (only you can read it).", path.display());
        lines.extend(
            wrap(&saved, width)
                .into_iter()
                .map(|l| Line::styled(l, ui.theme.success)),
        );
    }
    if codes.reminded {
        let text = match ui.key(Scope::List, Command::Open) {
            Some(k) => format!(
                "These codes are not shown again. Save or copy them, then press {k} to confirm you have them."
            ),
            None => "These codes are not shown again. Save or copy them first.".to_string(),
        };
        lines.extend(
            wrap(&text, width)
                .into_iter()
                .map(|l| Line::styled(l, ui.theme.warning)),
        );
    }
    if codes.saving.is_some() {
        lines.push(Line::default());
    }
    let used = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), inner);
    let y = inner.y + used;
    if y >= inner.bottom() {
        return;
    }
    let rest = Rect::new(inner.x, y, inner.width, inner.bottom() - y);
    match &codes.saving {
        Some(form) => {
            form.render(frame, rest, ui, true);
        }
        None => {
            let mut hints = Vec::new();
            for (command, what) in [
                (Command::Open, "I have saved them"),
                (Command::Copy, "copy"),
                (Command::SaveFile, "save to a file"),
            ] {
                if let Some(k) = ui.key(Scope::List, command) {
                    hints.push(format!("{k}: {what}"));
                }
            }
            let line = Line::styled(hints.join("   "), ui.theme.key_hint);
            frame.render_widget(Paragraph::new(line), Rect { height: 1, ..rest });
        }
    }
}
