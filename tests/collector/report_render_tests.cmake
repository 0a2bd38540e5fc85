# The report renderers: golden documents of every kind and format from the fixture clinic
# (tests/fixtures/reports, tests/golden/reports; MAMORI_UPDATE_GOLDEN=1 rewrites them) and the
# properties that hold whatever the layout.
mamori_add_test(NAME collector_report_render_test
  SOURCES report_render_test.cc
  LIBS mamori_collector_lib
  LABELS collector)
target_compile_definitions(collector_report_render_test PRIVATE
  MAMORI_REPORT_FIXTURE="${PROJECT_SOURCE_DIR}/tests/fixtures/reports/clinic.textproto"
  MAMORI_GOLDEN_DIR="${PROJECT_SOURCE_DIR}/tests/golden/reports")

# The print check: headless Chromium prints the visit report to PDF, poppler reads it back. About
# ten seconds, one ctest entry under its own label; it fails (never skips) without the tools that
# scripts/setup installs.
add_executable(report_pdf_test report_pdf_test.cc)
target_link_libraries(report_pdf_test PRIVATE mamori_collector_lib Boost::filesystem
  mamori_header_only GTest::gmock GTest::gtest_main mamori_build_options)
target_compile_definitions(report_pdf_test PRIVATE
  MAMORI_REPORT_FIXTURE="${PROJECT_SOURCE_DIR}/tests/fixtures/reports/clinic.textproto")
add_test(NAME report_pdf_test COMMAND report_pdf_test)
set_tests_properties(report_pdf_test PROPERTIES LABELS report_pdf TIMEOUT 400)
