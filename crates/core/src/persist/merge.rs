//! Three-way merge of a keyed collection, for two copies of the app editing one storage.
//!
//! A tab holds `mine`; it also remembers `base`, what it last knew to be stored. When the stored
//! copy (`theirs`) changes under it, [`merge3`] keeps what this tab changed since `base` and takes
//! everything else from `theirs`, so neither copy overwrites the other's edits to different
//! items. Nothing is dropped: the result has every key of `mine` and of `theirs` (nothing in
//! Lesenka deletes a whole item; an item missing from `theirs` was set aside, not removed).
//! [`merge3_resolving`] lets an item both sides changed be merged inside (a gradebook's marks).
//!
//! [`merge3_removing`] is the merge for the parts of an item that can be removed (the marks of
//! a gradebook): there a key missing from one side that `base` had was removed by that side.

/// Merges `mine` and `theirs` by `key`, given their common `base`.
///
/// Per key: an item this side changed (absent from `base`, or different from it) is kept as
/// `mine` has it; any other item is taken from `theirs` when it has one, else kept from `mine`.
/// Order: `mine`'s order, then the items only `theirs` has, in its order. When two items share a
/// key within one list, the first one counts.
pub fn merge3<T, K>(base: &[T], mine: &[T], theirs: &[T], key: impl Fn(&T) -> K) -> Vec<T>
where
    T: Clone + PartialEq,
    K: PartialEq,
{
    merge3_resolving(base, mine, theirs, key, |_, m, _| m.clone())
}

/// [`merge3`], except that an item changed on both sides (this side's differs from `base`, and
/// `theirs` has one that differs from both) is `resolve(base's, mine's, theirs')`.
pub fn merge3_resolving<T, K>(
    base: &[T],
    mine: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
    mut resolve: impl FnMut(Option<&T>, &T, &T) -> T,
) -> Vec<T>
where
    T: Clone + PartialEq,
    K: PartialEq,
{
    let mut merged: Vec<T> = Vec::with_capacity(mine.len().max(theirs.len()));
    let mut keys: Vec<K> = Vec::with_capacity(merged.capacity());
    for item in mine {
        let k = key(item);
        if keys.contains(&k) {
            continue;
        }
        let known = base.iter().find(|b| key(b) == k);
        let stored = theirs.iter().find(|t| key(t) == k);
        let chosen = match stored {
            None => item.clone(),
            Some(t) if known == Some(item) => t.clone(),
            Some(t) if known == Some(t) || t == item => item.clone(),
            Some(t) => resolve(known, item, t),
        };
        merged.push(chosen);
        keys.push(k);
    }
    for item in theirs {
        let k = key(item);
        if !keys.contains(&k) {
            merged.push(item.clone());
            keys.push(k);
        }
    }
    merged
}

/// Merges lists whose items can be removed: per key, a side that changed it since `base` (added,
/// edited or removed it) decides; when both did, this side does. Order: `mine`'s, then what only
/// `theirs` added, in its order. Keys are taken as unique within each list.
pub fn merge3_removing<T, K>(base: &[T], mine: &[T], theirs: &[T], key: impl Fn(&T) -> K) -> Vec<T>
where
    T: Clone + PartialEq,
    K: PartialEq,
{
    if mine == base {
        return theirs.to_vec();
    }
    if theirs == base {
        return mine.to_vec();
    }
    let find = |list: &[T], item: &T| list.iter().find(|x| key(x) == key(item)).cloned();
    let mut merged = Vec::with_capacity(mine.len().max(theirs.len()));
    for m in mine {
        let (b, t) = (find(base, m), find(theirs, m));
        // Unchanged here and changed (or removed) there: theirs; otherwise mine.
        if b.as_ref() == Some(m) && t.as_ref() != Some(m) {
            merged.extend(t);
        } else {
            merged.push(m.clone());
        }
    }
    for t in theirs {
        // Only theirs has it: theirs added it (kept), or this side removed it (this side decides).
        if find(mine, t).is_none() && find(base, t).is_none() {
            merged.push(t.clone());
        }
    }
    merged
}

/// [`merge3`] for a single optional value (the school's marking policy): this side's value when
/// it changed since `base`, else the stored one, else this side's.
pub fn merge3_one<T: Clone + PartialEq>(
    base: Option<&T>,
    mine: Option<&T>,
    theirs: Option<&T>,
) -> Option<T> {
    if mine != base { mine.or(theirs).cloned() } else { theirs.or(mine).cloned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (key, value) items keyed by their first field.
    type Item = (u8, u8);

    fn check(base: &[Item], mine: &[Item], theirs: &[Item], expected: &[Item]) {
        assert_eq!(merge3(base, mine, theirs, |i| i.0), expected);
    }

    #[test]
    fn cases() {
        // Nothing changed anywhere.
        check(&[(1, 1)], &[(1, 1)], &[(1, 1)], &[(1, 1)]);
        // The other tab edited an item this tab did not touch: theirs.
        check(&[(1, 1)], &[(1, 1)], &[(1, 2)], &[(1, 2)]);
        // This tab edited it and the other did not: mine.
        check(&[(1, 1)], &[(1, 3)], &[(1, 1)], &[(1, 3)]);
        // Both edited the same item: this side's edit (the one being saved) wins.
        check(&[(1, 1)], &[(1, 3)], &[(1, 2)], &[(1, 3)]);
        // Each edited a different item: both edits survive.
        check(&[(1, 1), (2, 1)], &[(1, 5), (2, 1)], &[(1, 1), (2, 7)], &[(1, 5), (2, 7)]);
        // Each added an item: both, mine first.
        check(&[], &[(1, 1)], &[(2, 2)], &[(1, 1), (2, 2)]);
        // Stored copy lost an item this tab has (set aside): kept.
        check(&[(1, 1)], &[(1, 1)], &[], &[(1, 1)]);
        // An item this tab holds but never saved (storage was full): kept over the stored one.
        check(&[], &[(1, 4)], &[(1, 2)], &[(1, 4)]);
        // Duplicate keys within a list: the first counts.
        check(&[], &[(1, 1), (1, 2)], &[(1, 3), (2, 1), (2, 2)], &[(1, 1), (2, 1)]);
    }

    fn check_removing(base: &[Item], mine: &[Item], theirs: &[Item], expected: &[Item]) {
        assert_eq!(merge3_removing(base, mine, theirs, |i| i.0), expected);
    }

    #[test]
    fn removing_cases() {
        // Each side added one: both.
        check_removing(&[(1, 1)], &[(1, 1), (2, 1)], &[(1, 1), (3, 1)], &[(1, 1), (2, 1), (3, 1)]);
        // This side removed one the other kept: removed.
        check_removing(&[(1, 1), (2, 1)], &[(2, 1), (3, 1)], &[(1, 1), (2, 1)], &[(2, 1), (3, 1)]);
        // The other side removed one this side kept, while this side added: removed, added.
        check_removing(&[(1, 1), (2, 1)], &[(1, 1), (2, 1), (3, 1)], &[(2, 1)], &[(2, 1), (3, 1)]);
        // The other side edited one this side kept: the edit.
        check_removing(&[(1, 1)], &[(1, 1), (2, 1)], &[(1, 2)], &[(1, 2), (2, 1)]);
        // This side removed one the other edited: this side decides (removed).
        check_removing(&[(1, 1)], &[(2, 1)], &[(1, 2)], &[(2, 1)]);
        // Both added the same key differently: this side's.
        check_removing(&[], &[(1, 1)], &[(1, 2), (2, 2)], &[(1, 1), (2, 2)]);
    }

    #[test]
    fn both_changed_is_resolved() {
        let merged = merge3_resolving(
            &[(1, 1), (2, 1)],
            &[(1, 2), (2, 2)],
            &[(1, 3), (2, 1)],
            |i| i.0,
            |b, m, t| (m.0, b.map_or(0, |b| b.1) + m.1 * 10 + t.1 * 100),
        );
        // Key 1 changed on both sides: resolved; key 2 only here: mine.
        assert_eq!(merged, [(1, 321), (2, 2)]);
    }

    #[test]
    fn one_value() {
        assert_eq!(merge3_one(Some(&1), Some(&1), Some(&2)), Some(2));
        assert_eq!(merge3_one(Some(&1), Some(&3), Some(&2)), Some(3));
        assert_eq!(merge3_one(None, None, Some(&2)), Some(2));
        assert_eq!(merge3_one(None, Some(&3), None), Some(3));
        assert_eq!(merge3_one(Some(&1), Some(&1), None), Some(1));
        assert_eq!(merge3_one::<u8>(None, None, None), None);
    }

    fn items() -> impl Strategy<Value = Vec<Item>> {
        // Few distinct keys and values, so lists overlap and collide often.
        prop::collection::vec((0u8..6, 0u8..3), 0..8)
    }

    /// Lists with unique keys, as a gradebook's marks are.
    fn keyed() -> impl Strategy<Value = Vec<Item>> {
        items().prop_map(|mut list| {
            let mut seen = Vec::new();
            list.retain(|i| {
                let new = !seen.contains(&i.0);
                seen.push(i.0);
                new
            });
            list
        })
    }

    fn first(list: &[Item], k: u8) -> Option<Item> {
        list.iter().find(|i| i.0 == k).copied()
    }

    proptest! {
        #[test]
        fn no_key_is_lost_and_none_repeats(base in items(), mine in items(), theirs in items()) {
            let merged = merge3(&base, &mine, &theirs, |i| i.0);
            let mut keys: Vec<u8> = merged.iter().map(|i| i.0).collect();
            let n = keys.len();
            keys.sort_unstable();
            keys.dedup();
            prop_assert_eq!(keys.len(), n);
            let mut expected: Vec<u8> = mine.iter().chain(&theirs).map(|i| i.0).collect();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(keys, expected);
        }

        #[test]
        fn this_sides_changes_survive(base in items(), mine in items(), theirs in items()) {
            let merged = merge3(&base, &mine, &theirs, |i| i.0);
            for k in 0..6 {
                if let Some(m) = first(&mine, k) && first(&base, k) != Some(m) {
                    prop_assert_eq!(first(&merged, k), Some(m));
                }
            }
        }

        #[test]
        fn an_unchanged_side_takes_all_of_theirs(mine in items(), theirs in items()) {
            // base == mine: this side changed nothing, so every stored item comes through as stored.
            let merged = merge3(&mine, &mine, &theirs, |i| i.0);
            for k in 0..6 {
                if let Some(t) = first(&theirs, k) {
                    prop_assert_eq!(first(&merged, k), Some(t));
                }
            }
        }

        #[test]
        fn removing_takes_each_sides_own_changes(
            base in keyed(), mine in keyed(), theirs in keyed()
        ) {
            let merged = merge3_removing(&base, &mine, &theirs, |i| i.0);
            for k in 0..6 {
                let (b, m, t) = (first(&base, k), first(&mine, k), first(&theirs, k));
                let expected = if m != b { m } else { t };
                prop_assert_eq!(first(&merged, k), expected, "key {}", k);
                prop_assert!(merged.iter().filter(|i| i.0 == k).count() <= 1);
            }
            prop_assert_eq!(merge3_removing(&base, &base, &theirs, |i| i.0), theirs.clone());
            prop_assert_eq!(merge3_removing(&base, &mine, &base, |i| i.0), mine.clone());
        }

        #[test]
        fn merging_again_with_the_result_stored_changes_nothing(
            base in items(), mine in items(), theirs in items()
        ) {
            let merged = merge3(&base, &mine, &theirs, |i| i.0);
            prop_assert_eq!(merge3(&base, &merged, &merged, |i| i.0), merged.clone());
            prop_assert_eq!(merge3(&merged, &merged, &merged, |i| i.0), merged);
        }
    }
}
