//! Tests of the advisor: the table of predictions against the simulation (`tests/table.rs`), and
//! the advice, findings, verdicts and CLI on known scenarios.

mod table;
