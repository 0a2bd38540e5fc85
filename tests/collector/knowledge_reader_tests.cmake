# knowledge_reader tests: the queries, paging, host resolution, review state and the admins' writes,
# on a database seeded directly with SQL (independent of the writer).
mamori_add_test(NAME collector_knowledge_reader_test
  SOURCES knowledge_reader_test.cc
  LIBS mamori_collector_lib
  LABELS collector)
