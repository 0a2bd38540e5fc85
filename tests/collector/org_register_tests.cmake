# The evidence register: validation per kind, the append-only table, current records and history,
# and the MAM-ORG findings after each record, on a real database.
mamori_add_test(NAME collector_org_register_test
  SOURCES org_register_test.cc
  LIBS mamori_collector_lib
  LABELS collector)
