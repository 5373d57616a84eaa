//! Three-way merge of a keyed collection, for two copies of the app editing one storage.
//!
//! A tab holds `mine`; it also remembers `base`, what it last knew to be stored. When the stored
//! copy (`theirs`) changes under it, [`merge3`] keeps what this tab changed since `base` and takes
//! everything else from `theirs`, so neither copy overwrites the other's edits to different
//! items. Nothing is dropped: the result has every key of `mine` and of `theirs` (nothing in
//! Lesenka deletes a whole item; an item missing from `theirs` was set aside, not removed).

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
    let find = |list: &[T], k: &K| list.iter().find(|x| key(x) == *k).cloned();
    let mut merged: Vec<T> = Vec::with_capacity(mine.len().max(theirs.len()));
    let mut keys: Vec<K> = Vec::with_capacity(merged.capacity());
    for item in mine {
        let k = key(item);
        if keys.contains(&k) {
            continue;
        }
        let changed_here = base.iter().find(|b| key(b) == k) != Some(item);
        let chosen = if changed_here {
            item.clone()
        } else {
            find(theirs, &k).unwrap_or_else(|| item.clone())
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
        fn merging_again_with_the_result_stored_changes_nothing(
            base in items(), mine in items(), theirs in items()
        ) {
            let merged = merge3(&base, &mine, &theirs, |i| i.0);
            prop_assert_eq!(merge3(&base, &merged, &merged, |i| i.0), merged.clone());
            prop_assert_eq!(merge3(&merged, &merged, &merged, |i| i.0), merged);
        }
    }
}
