//! The security log (being written). TEMPORARY STUB by the lead so the rest
//! compiles; replace the whole file.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::action::Action;
use crate::keymap::Keymap;
use crate::widgets::Ui;

#[derive(Debug, Default)]
pub struct SecurityLog {}

impl SecurityLog {
    pub fn on_enter(&mut self) -> Option<Action> {
        None
    }
    pub fn handle_key(&mut self, _key: KeyEvent, _keymap: &Keymap) -> Option<Action> {
        None
    }
    pub fn update(&mut self, _action: &Action) {}
    pub fn render(&self, _frame: &mut Frame<'_>, _area: Rect, _ui: &Ui<'_>) {}
    pub fn hints(&self, _keymap: &Keymap) -> Vec<(String, &'static str)> {
        Vec::new()
    }
    pub fn reset(&mut self) {}
    pub fn mark_stale(&mut self) {}
}
