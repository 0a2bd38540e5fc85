# mamorictl: display width, tables, CSV and JSON output, error lines and the bundle check, with no
# network but a loopback TLS server of its own for the error classification.
mamori_add_test(NAME collector_ctl_test
  SOURCES ctl_format_test.cc ctl_errors_test.cc
  LIBS mamori_ctl_lib
  LABELS collector)

# mamorictl report: stream assembly and the atomic file write.
mamori_add_test(NAME collector_report_pull_test
  SOURCES report_pull_test.cc
  LIBS mamori_ctl_lib
  LABELS collector)

# mamorictl evidence and summary: the register's and the dashboard's tables.
mamori_add_test(NAME collector_evidence_tables_test
  SOURCES evidence_tables_test.cc summary_tables_test.cc
  LIBS mamori_ctl_lib
  LABELS collector)
