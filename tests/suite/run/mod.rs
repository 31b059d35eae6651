//! Integration tests of loading, planning, transports, provisioning and verdicts, against
//! hand-made specs (`tests/data/specs`) and wiremock targets on 127.0.0.1.

mod answers;
mod cli;
mod load;
mod midnight;
mod mutants;
mod privacy;
mod profiles;
mod support;
mod transports;
mod verdicts;
