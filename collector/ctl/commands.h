// mamorictl's command line: the options, one function per command that builds its request and
// picks its tables, and the exit code. The work is in output_format, ctl_errors, client_bundle and
// collector_client; this file only wires them together.
#pragma once

namespace mamori::ctl {

// Runs mamorictl with `argv`; returns the exit code (kExitOk, kExitFailure, kExitUsage).
int RunMamorictl(int argc, char** argv);

}  // namespace mamori::ctl
