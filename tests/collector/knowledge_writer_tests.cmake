# knowledge_writer tests: evaluation on ingest, history, ledger, accounts, idle episodes, sweep,
# re-evaluation after a policy change, and the policy file.
mamori_add_test(NAME collector_knowledge_writer_test
  SOURCES knowledge_writer_test.cc
  LIBS mamori_collector_lib
  LABELS collector)
