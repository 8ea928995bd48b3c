use super::*;

#[test]
fn every_keymap_file_in_config_parses() {
    for (name, _) in BUILTIN {
        let map = Keymap::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(map.get(Scope::Global, Key::char('q')), Some(Command::Quit));
        assert_eq!(map.get(Scope::Form, Key::ctrl('c')), Some(Command::Quit));
        assert_eq!(map.get(Scope::List, Key::char('j')), Some(Command::Down));
    }
    let vim = Keymap::builtin("vim").expect("vim");
    assert_eq!(vim.get(Scope::List, Key::char('G')), Some(Command::Bottom));
}

#[test]
fn user_bindings_merge_key_by_key_and_none_unbinds() {
    let mut map = default_keymap();
    map.merge_toml("[global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n")
        .expect("valid");
    assert_eq!(map.get(Scope::Global, Key::char('x')), Some(Command::Quit));
    assert_eq!(map.get(Scope::Global, Key::char('q')), None);
    assert_eq!(map.hint(Scope::Global, Command::Help).as_deref(), Some("?"));
}

#[test]
fn a_bad_user_keymap_falls_back_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[global]\n\"x\" = \"quit\"\n\"y\" = \"explode\"\n",
    )
    .expect("write");
    let (map, warning) = load("default", Some(dir.path()));
    let warning = warning.expect("warning");
    assert!(warning.contains("unknown variant `explode`"), "{warning}");
    assert_eq!(map, default_keymap(), "nothing of the bad file applied");

    let (_, warning) = load("emacs", None);
    assert!(
        warning
            .expect("warning")
            .contains("no keymap named 'emacs'")
    );
}

#[test]
fn keys_are_listed_most_readable_first() {
    let map = default_keymap();
    let keys: Vec<String> = map
        .keys_for(Scope::List, Command::Up)
        .iter()
        .map(Key::to_string)
        .collect();
    assert_eq!(keys, ["Up", "k"]);
    assert_eq!(map.hint(Scope::Global, Command::Quit).as_deref(), Some("q"));
}
