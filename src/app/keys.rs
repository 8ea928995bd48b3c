//! Keys: Ctrl-C always quits; an open overlay takes keys first; then the
//! screen, which hands back commands it does not handle itself.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::state::{App, Overlay};
use crate::action::Action;
use crate::action::ScreenId;
use crate::keymap::{Command, Key, Scope};
use crate::widgets::dialog::{Dialog, Outcome};
use crate::widgets::help;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            self.dirty = false;
            return;
        }
        let k = Key::from(key);
        // Hard-wired so no keymap can take away the way out.
        if k == Key::ctrl('c') {
            return self.quit_unless_codes_unsaved();
        }
        if self.drawn_too_small.get() {
            return self.key_while_too_small(k);
        }
        if self.overlay.is_some() {
            return self.overlay_key(k);
        }
        let action = self
            .screens
            .get_mut(self.screen)
            .handle_key(key, &self.keymap);
        self.then(action.into_iter().collect());
    }

    /// Only the "too small" notice is on screen: a key would act unseen
    /// (toggle a setting, send a form), so only quitting works.
    fn key_while_too_small(&mut self, key: Key) {
        if self.keymap.get(Scope::Global, key) == Some(Command::Quit) {
            self.quit_unless_codes_unsaved();
        } else {
            self.dirty = false;
        }
    }

    /// What would be lost by quitting (recovery codes shown once, profile
    /// edits not saved): the first Ctrl-C only warns; the second quits.
    fn quit_unless_codes_unsaved(&mut self) {
        if let Some(warning) = self.screens.quit_warning(self.screen)
            && !self.quit_warned
        {
            self.quit_warned = true;
            return self.toast(crate::widgets::toast::Toast::warning(warning));
        }
        self.quit = true;
    }

    /// Commands the screens pass up: navigation, help, quitting.
    pub(super) fn on_command(&mut self, command: Command) {
        let signed_in = self.screen != ScreenId::Login;
        if leaves(command)
            && let Some(what) = self.screens.get(self.screen).leave_warning()
        {
            return self.ask_before_leaving(command, what);
        }
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.overlay = Some(Overlay::Help { offset: 0 }),
            Command::Back => {
                if self.cancel_waiting() {
                    self.toast(crate::widgets::toast::Toast::success(
                        "Canceled; press r to try again.",
                    ));
                } else {
                    self.toasts.dismiss();
                }
            }
            Command::Redraw => self.clear = true,
            Command::Suspend => self.suspend = true,
            Command::SignOut if signed_in => self.confirm_sign_out(),
            other => match ScreenId::for_command(other) {
                Some(screen) if signed_in => self.go_to(screen),
                _ => self.dirty = false,
            },
        }
    }

    /// Unsaved edits (`what` says which): leave only if the person says so.
    fn ask_before_leaving(&mut self, command: Command, what: String) {
        let body = vec![
            what,
            "Leave and discard them, or stay and save (Enter)?".to_string(),
        ];
        self.overlay = Some(Overlay::Dialog {
            dialog: Dialog::confirm("Unsaved changes", body, "Discard and leave").with_back("Stay"),
            on_confirm: Some(Box::new(Action::Batch(vec![
                Action::DiscardEdits,
                Action::Command(command),
            ]))),
        });
    }

    fn confirm_sign_out(&mut self) {
        let body = vec![
            format!("Sign out of {} on this device?", self.server),
            "The session ends on the server too; signing in again needs your password.".to_string(),
        ];
        self.overlay = Some(Overlay::Dialog {
            dialog: Dialog::confirm("Sign out", body, "Sign out"),
            on_confirm: Some(Box::new(Action::Request(crate::action::Request::Auth(
                crate::action::AuthRequest::Logout,
            )))),
        });
    }

    fn overlay_key(&mut self, key: Key) {
        match self.overlay.take() {
            Some(Overlay::Help { offset }) => self.help_key(key, offset),
            Some(Overlay::Dialog { dialog, on_confirm }) => {
                self.dialog_key(key, dialog, on_confirm)
            }
            None => {}
        }
    }

    /// The help for the screen in view.
    pub(super) fn help_lines(&self) -> Vec<help::HelpLine> {
        let screen = self.screens.get(self.screen);
        let hints = screen.hints(&self.keymap);
        help::lines(
            &self.keymap,
            self.screen.title(),
            &hints,
            screen.takes_typing(),
            &self.hidden_commands(),
        )
    }

    fn help_key(&mut self, key: Key, offset: usize) {
        let command = self.keymap.resolve(&[Scope::List, Scope::Global], key);
        let max = help::max_offset(self.help_lines().len(), self.last_height());
        let offset = match command {
            Some(Command::Back | Command::Help) => return,
            Some(Command::Quit) => {
                self.quit = true;
                return;
            }
            Some(Command::Up) => offset.saturating_sub(1),
            Some(Command::Down) => offset + 1,
            Some(Command::PageUp) => offset.saturating_sub(10),
            Some(Command::PageDown) => offset + 10,
            Some(Command::Top) => 0,
            Some(Command::Bottom) => max,
            _ => offset,
        };
        self.overlay = Some(Overlay::Help {
            offset: offset.min(max),
        });
    }

    fn dialog_key(&mut self, key: Key, mut dialog: Dialog, on_confirm: Option<Box<Action>>) {
        let command = self.keymap.get(Scope::Dialog, key).or_else(|| {
            self.keymap
                .get(Scope::Global, key)
                .filter(|c| *c == Command::Quit)
        });
        let outcome = match command {
            Some(Command::NextField | Command::PrevField) => {
                dialog.toggle_focus();
                Outcome::Open
            }
            Some(Command::Submit) => dialog.activate(),
            Some(Command::Back) => Outcome::Cancelled,
            Some(Command::Quit) => {
                self.quit = true;
                Outcome::Cancelled
            }
            _ => Outcome::Open,
        };
        match (outcome, on_confirm) {
            (Outcome::Open, on_confirm) => {
                self.overlay = Some(Overlay::Dialog { dialog, on_confirm })
            }
            (Outcome::Confirmed, Some(action)) => self.then(vec![*action]),
            _ => {}
        }
    }
}

/// Commands that take the person away from the screen on show.
fn leaves(command: Command) -> bool {
    matches!(command, Command::Quit | Command::SignOut) || ScreenId::for_command(command).is_some()
}
