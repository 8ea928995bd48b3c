//! A list the server hands out in cursor pages, newest first: the first page
//! decides the state; older pages are asked for as the selection nears the
//! end of what is loaded, so a long list costs what the rows in view do.
//! The security log, the inbox and the invoices share it.

use acctl_api::Page;

use crate::keymap::Command;
use crate::widgets::loadable::{Failure, Loadable};
use crate::widgets::table::ScrollState;
use acctl_client::ApiError;

#[derive(Debug)]
pub struct PagedList<T> {
    /// Rows loaded so far (the first page decides the state).
    pub items: Loadable<Vec<T>>,
    /// Where the next, older page starts; None when all are loaded.
    next_cursor: Option<String>,
    /// An older page is on its way.
    pub loading_more: bool,
    /// Why the last older page did not come; what was loaded stays.
    pub more_failed: Option<Failure>,
    pub table: ScrollState,
}

impl<T> Default for PagedList<T> {
    fn default() -> Self {
        Self {
            items: Loadable::default(),
            next_cursor: None,
            loading_more: false,
            more_failed: None,
            table: ScrollState::default(),
        }
    }
}

impl<T: Clone> PagedList<T> {
    pub fn has_more(&self) -> bool {
        self.next_cursor.is_some()
    }

    pub fn selected(&self) -> Option<&T> {
        self.items.value()?.get(self.table.selected()?)
    }

    /// Moves the selection if `command` is a movement: Some, with the
    /// cursor of the next page once the selection is within a page of the
    /// end of what is loaded. None when `command` is not a movement.
    pub fn moved(&mut self, command: Command) -> Option<Option<String>> {
        self.table
            .apply(command)
            .then(|| self.cursor_if_near_the_end())
    }

    fn cursor_if_near_the_end(&self) -> Option<String> {
        let len = self.items.value()?.len();
        let selected = self.table.selected()?;
        if self.loading_more || selected + self.table.page() < len {
            return None;
        }
        self.next_cursor.clone()
    }

    /// A page was asked for: the first (None) or the one at `cursor`.
    pub fn requested(&mut self, cursor: Option<&str>) {
        match cursor {
            None => self.items.start(),
            Some(_) => {
                self.loading_more = true;
                self.more_failed = None;
            }
        }
    }

    pub fn cancelled(&mut self) {
        self.items.cancel();
        self.loading_more = false;
    }

    /// The answer for the page at `cursor` (None: the first).
    pub fn answered(&mut self, cursor: Option<&str>, result: &Result<Page<T>, ApiError>) {
        self.answered_as(cursor, result, T::clone);
    }

    /// [`Self::answered`] for a list that keeps its rows in another form
    /// than the API's (the security log's compact events): `keep` makes one.
    pub fn answered_as<U>(
        &mut self,
        cursor: Option<&str>,
        result: &Result<Page<U>, ApiError>,
        keep: impl Fn(&U) -> T,
    ) {
        match cursor {
            None => {
                self.loading_more = false;
                self.more_failed = None;
                match result {
                    Ok(page) => {
                        self.next_cursor = page.next_cursor.clone();
                        self.items
                            .finish::<Failure>(Ok(page.items.iter().map(&keep).collect()));
                    }
                    Err(e) => self.items.finish(Err(Failure::from(e))),
                }
            }
            Some(cursor) => {
                if self.next_cursor.as_deref() != Some(cursor) {
                    return; // Loaded afresh meanwhile.
                }
                self.loading_more = false;
                match result {
                    Ok(page) => {
                        if let Some(items) = self.items.value_mut() {
                            items.extend(page.items.iter().map(&keep));
                        }
                        self.next_cursor = page.next_cursor.clone();
                    }
                    Err(e) => self.more_failed = Some(Failure::from(e)),
                }
            }
        }
        let len = self.items.value().map_or(0, Vec::len);
        self.table.set_len(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: std::ops::Range<u32>, next: Option<&str>) -> Result<Page<u32>, ApiError> {
        Ok(Page {
            items: items.collect(),
            next_cursor: next.map(str::to_string),
        })
    }

    fn loaded(len: u32, next: Option<&str>) -> PagedList<u32> {
        let mut list = PagedList::default();
        list.requested(None);
        list.answered(None, &page(0..len, next));
        list
    }

    #[test]
    fn the_next_page_is_asked_for_within_a_page_of_the_end() {
        let mut list = loaded(25, Some("c1"));
        assert_eq!(list.moved(Command::Down), Some(None), "far from the end");
        assert_eq!(list.moved(Command::Refresh), None, "not a movement");
        for _ in 0..13 {
            list.moved(Command::Down);
        }
        assert_eq!(list.moved(Command::Down), Some(Some("c1".into())));
        list.requested(Some("c1"));
        assert_eq!(list.moved(Command::Down), Some(None), "one load at a time");
        list.answered(Some("c1"), &page(25..30, None));
        assert_eq!(list.items.value().map(Vec::len), Some(30));
        assert!(!list.has_more());
        assert_eq!(list.selected(), Some(&16));
    }

    #[test]
    fn a_failed_older_page_keeps_what_was_loaded() {
        let mut list = loaded(20, Some("c1"));
        list.requested(Some("c1"));
        list.answered(Some("c1"), &Err(ApiError::NotSignedIn));
        assert!(list.more_failed.is_some());
        assert!(!list.loading_more);
        assert_eq!(list.items.value().map(Vec::len), Some(20));
        assert!(list.has_more(), "the same page can be asked again");
    }

    #[test]
    fn an_older_page_for_a_list_loaded_afresh_is_dropped() {
        let mut list = loaded(20, Some("c1"));
        list.requested(None);
        list.answered(None, &page(100..110, Some("c2")));
        list.answered(Some("c1"), &page(20..40, None));
        assert_eq!(list.items.value().map(Vec::len), Some(10));
        assert!(list.has_more());
    }
}
