//! The saved segments as a graph: each checked query, the segments it
//! names (`customer_segments CONTAINS 'X'`), an order in which every
//! segment comes after those it names, and the checks that keep the graph
//! acyclic when a segment is saved.

use crate::analysis::{QueryDependencies, SegmentReference};
use flokk_engine::{SegmentDefinitions, StaticLists};
use flokk_lang::{CheckOptions, Error, ErrorCode, Errors, PropertyTypes, TypedQuery, check};
use flokk_store::Segment;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The store's static lists as the engine reads them (`customer_lists`).
pub fn static_lists(store: &flokk_store::Store) -> Result<StaticLists, flokk_store::StoreError> {
    let mut lists = StaticLists::new();
    for (name, keys) in store.list_memberships()? {
        lists.insert(&name, keys);
    }
    Ok(lists)
}

/// One saved segment whose query checks.
#[derive(Debug, Clone)]
pub struct SegmentNode {
    /// The stored segment.
    pub segment: Segment,
    /// Its checked query.
    pub query: Arc<TypedQuery>,
    /// What the query depends on by itself.
    pub dependencies: QueryDependencies,
    /// Ids of the segments it names.
    pub names: Vec<i64>,
}

/// The live segments of a store, checked and ordered.
#[derive(Debug, Clone, Default)]
pub struct SegmentGraph {
    nodes: BTreeMap<i64, SegmentNode>,
    /// Dependencies first.
    order: Vec<i64>,
    definitions: SegmentDefinitions,
    /// Segments whose stored query no longer checks (a property changed
    /// type, say): they are left as they are and reported.
    broken: Vec<(Segment, Errors)>,
}

impl SegmentGraph {
    /// Checks every live segment against the store's properties; `lists`
    /// are the static lists `customer_lists` reads.
    pub fn build(
        segments: Vec<Segment>,
        lists: StaticLists,
        properties: &PropertyTypes,
    ) -> SegmentGraph {
        let options = CheckOptions {
            strict: false,
            properties,
        };
        let mut graph = SegmentGraph::default();
        let mut by_name = BTreeMap::new();
        let mut checked = Vec::new();
        for segment in segments.into_iter().filter(|s| s.deleted_at.is_none()) {
            match check(&segment.query, &options) {
                Ok(query) => {
                    by_name.insert(segment.name.to_lowercase(), segment.id);
                    checked.push((segment, query));
                }
                Err(errors) => graph.broken.push((segment, errors)),
            }
        }
        for (segment, query) in checked {
            let dependencies = QueryDependencies::of(&query);
            let names = dependencies
                .segments
                .iter()
                .filter_map(|r| match r {
                    SegmentReference::Named { name, .. } => {
                        by_name.get(&name.to_lowercase()).copied()
                    }
                    SegmentReference::Any { .. } => None,
                })
                .collect();
            let query = Arc::new(query);
            graph.definitions.insert(&segment.name, query.clone());
            graph.nodes.insert(
                segment.id,
                SegmentNode {
                    segment,
                    query,
                    dependencies,
                    names,
                },
            );
        }
        graph.definitions.set_lists(lists);
        graph.order = graph.topological_order();
        graph
    }

    /// The live segments whose query names the list `name` (any case).
    pub fn naming_list(&self, name: &str) -> Vec<&Segment> {
        let key = name.to_lowercase();
        self.nodes
            .values()
            .filter(|n| {
                n.dependencies
                    .lists
                    .iter()
                    .any(|(l, _)| l.to_lowercase() == key)
            })
            .map(|n| &n.segment)
            .collect()
    }

    /// "There is no list named X" for each list `query` names that does
    /// not exist, with the closest name as a suggestion.
    fn unknown_lists(&self, query: &TypedQuery) -> Vec<Error> {
        let lists = self.definitions.lists();
        QueryDependencies::of(query)
            .lists
            .into_iter()
            .filter(|(name, _)| lists.get(name).is_none())
            .map(|(name, span)| {
                let mut e = Error::new(
                    ErrorCode::UnknownList,
                    span,
                    format!("there is no list named '{name}'"),
                );
                e.suggestion =
                    flokk_lang::suggest::closest(&name, lists.names()).map(|s| format!("'{s}'"));
                e
            })
            .collect()
    }

    /// Dependencies first; segments on a cycle (which saving refuses, so
    /// only a hand-edited store has them) come last, in id order.
    fn topological_order(&self) -> Vec<i64> {
        let mut done = BTreeSet::new();
        let mut order = Vec::new();
        let mut progress = true;
        while progress {
            progress = false;
            for (id, node) in &self.nodes {
                if !done.contains(id) && node.names.iter().all(|n| done.contains(n) || n == id) {
                    done.insert(*id);
                    order.push(*id);
                    progress = true;
                }
            }
        }
        order.extend(self.nodes.keys().filter(|id| !done.contains(*id)));
        order
    }

    /// The segments, dependencies first.
    pub fn in_order(&self) -> impl Iterator<Item = &SegmentNode> {
        self.order.iter().map(|id| &self.nodes[id])
    }

    /// One segment.
    pub fn node(&self, id: i64) -> Option<&SegmentNode> {
        self.nodes.get(&id)
    }

    /// The queries by name, for the engine's `customer_segments`.
    pub fn definitions(&self) -> &SegmentDefinitions {
        &self.definitions
    }

    /// Segments whose stored query no longer checks.
    pub fn broken(&self) -> &[(Segment, Errors)] {
        &self.broken
    }

    /// Whether the segment's answer can move at a store-local midnight,
    /// by itself or through the segments it names.
    pub fn depends_on_day(&self, id: i64) -> bool {
        self.reaches(id, &|n| n.dependencies.day)
    }

    /// Whether the segment reads the predictive models, by itself or
    /// through the segments it names.
    pub fn uses_predictions(&self, id: i64) -> bool {
        self.reaches(id, &|n| n.dependencies.predictions)
    }

    /// Whether the segment reads customers' tags, by itself or through
    /// the segments it names: only such a segment can move when a bulk tag
    /// changes tags and nothing else.
    pub fn reads_tags(&self, id: i64) -> bool {
        self.reaches(id, &|n| n.dependencies.tags)
    }

    fn reaches(&self, id: i64, test: &dyn Fn(&SegmentNode) -> bool) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(node) = self.nodes.get(&id) {
                if test(node) {
                    return true;
                }
                stack.extend(&node.names);
            }
        }
        false
    }

    /// The segments that name `id`, directly or through others, in
    /// dependency order (not `id` itself).
    pub fn dependents(&self, id: i64) -> Vec<i64> {
        let mut affected = BTreeSet::from([id]);
        for other in &self.order {
            if self.nodes[other].names.iter().any(|n| affected.contains(n)) {
                affected.insert(*other);
            }
        }
        self.order
            .iter()
            .copied()
            .filter(|o| *o != id && affected.contains(o))
            .collect()
    }

    /// Checks `source` as the query of segment `name` (`id` when it is
    /// already saved): it must check, name only existing segments, not
    /// depend on every segment, and not make segments contain each other.
    pub fn validate(
        &self,
        name: &str,
        id: Option<i64>,
        source: &str,
        properties: &PropertyTypes,
    ) -> Result<TypedQuery, Errors> {
        let options = CheckOptions {
            strict: false,
            properties,
        };
        let query = check(source, &options)?;
        let mut errors = Vec::new();
        let by_name: BTreeMap<String, i64> = self
            .nodes
            .values()
            .map(|n| (n.segment.name.to_lowercase(), n.segment.id))
            .collect();
        for reference in QueryDependencies::of(&query).segments {
            match reference {
                SegmentReference::Any { span } => errors.push(Error::new(
                    ErrorCode::SegmentDependsOnAll,
                    span,
                    "a saved segment cannot depend on every other segment; \
                     name them with customer_segments CONTAINS or NOT CONTAINS",
                )),
                SegmentReference::Named { name: named, span } => {
                    let key = named.to_lowercase();
                    if key == name.to_lowercase() {
                        errors.push(Error::new(
                            ErrorCode::SegmentCycle,
                            span,
                            format!("segment '{name}' cannot contain itself"),
                        ));
                        continue;
                    }
                    let Some(target) = by_name.get(&key).copied() else {
                        errors.push(self.unknown_segment(&named, span));
                        continue;
                    };
                    if let Some(id) = id
                        && let Some(path) = self.path(target, id)
                    {
                        let names: Vec<String> = path
                            .iter()
                            .map(|p| format!("'{}'", self.nodes[p].segment.name))
                            .collect();
                        errors.push(Error::new(
                            ErrorCode::SegmentCycle,
                            span,
                            format!(
                                "segments would contain each other: '{name}' → {}",
                                names.join(" → ")
                            ),
                        ));
                    }
                }
            }
        }
        errors.extend(self.unknown_lists(&query));
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(Errors::located(source, errors))
        }
    }

    /// The segments a query names that do not exist, as errors with their
    /// spans (`check` refuses what `count` could not evaluate). Unlike
    /// [`SegmentGraph::validate`], any query may depend on every segment.
    pub fn unknown_references(&self, source: &str, query: &TypedQuery) -> Result<(), Errors> {
        let known: BTreeSet<String> = self
            .nodes
            .values()
            .map(|n| n.segment.name.to_lowercase())
            .collect();
        let mut errors: Vec<Error> = QueryDependencies::of(query)
            .segments
            .into_iter()
            .filter_map(|reference| match reference {
                SegmentReference::Named { name, span } if !known.contains(&name.to_lowercase()) => {
                    Some(self.unknown_segment(&name, span))
                }
                _ => None,
            })
            .collect();
        errors.extend(self.unknown_lists(query));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Errors::located(source, errors))
        }
    }

    /// "There is no segment named X", with the closest name as a suggestion.
    fn unknown_segment(&self, named: &str, span: flokk_lang::Span) -> Error {
        let mut e = Error::new(
            ErrorCode::UnknownSegment,
            span,
            format!("there is no segment named '{named}'"),
        );
        e.suggestion = flokk_lang::suggest::closest(
            named,
            self.nodes.values().map(|n| n.segment.name.as_str()),
        )
        .map(|s| format!("'{s}'"));
        e
    }

    /// A chain of names from `from` to `to` (both included), if one exists.
    fn path(&self, from: i64, to: i64) -> Option<Vec<i64>> {
        let mut stack = vec![vec![from]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = *path.last().expect("paths are never empty");
            if last == to {
                return Some(path);
            }
            if !seen.insert(last) {
                continue;
            }
            for next in self.nodes.get(&last).map(|n| &n.names[..]).unwrap_or(&[]) {
                let mut longer = path.clone();
                longer.push(*next);
                stack.push(longer);
            }
        }
        None
    }
}
