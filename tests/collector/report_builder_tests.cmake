# report builder tests: the checklist answers as a pure function, and the report model built from a
# database seeded directly with SQL (every kind, trends across report runs, bounds).
mamori_add_test(NAME collector_report_builder_test
  SOURCES report_builder_test.cc
  LIBS mamori_collector_lib
  LABELS collector)
