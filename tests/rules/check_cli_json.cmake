# Runs the real mamori-check (through Wine in the cross build) with --format json and checks the
# mamori.check/v1 contract: schema, every rule of the catalogue exactly once, summary counts that add up, and
# an exit status that says whether anything failed.
#   cmake -DCHECK_EXE=... [-DEMULATOR=wine] [-DROOT=dir] -P check_cli_json.cmake
cmake_minimum_required(VERSION 3.25)

set(expected_rules
  MAM-PATCH-001 MAM-PATCH-002 MAM-PATCH-003 MAM-PATCH-004 MAM-AV-001 MAM-AV-002 MAM-AV-003
  MAM-USB-001 MAM-USB-002 MAM-IDLE-001 MAM-IDLE-002 MAM-ACCT-001 MAM-ACCT-002 MAM-ACCT-003
  MAM-ACCT-004 MAM-ACCT-005 MAM-ACCT-006 MAM-LOGON-001 MAM-LOCK-001 MAM-FW-001 MAM-ENC-001
  MAM-REMOTE-001 MAM-AGENT-001)

set(args --format json --now 2026-11-25T00:00:00Z)
if(ROOT)
  list(APPEND args --root "${ROOT}")
endif()
execute_process(COMMAND ${EMULATOR} "${CHECK_EXE}" ${args}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 120)
if(NOT rc MATCHES "^[01]$")
  message(FATAL_ERROR "mamori-check exited with ${rc}: ${err}")
endif()

string(JSON schema ERROR_VARIABLE json_error GET "${out}" schema)
if(json_error)
  message(FATAL_ERROR "output is not the JSON report (${json_error}):\n${out}\n${err}")
endif()
if(NOT schema STREQUAL "mamori.check/v1")
  message(FATAL_ERROR "schema is '${schema}'")
endif()
string(JSON hostname GET "${out}" host hostname)
string(JSON facts_type TYPE "${out}" facts)
if(NOT facts_type STREQUAL "OBJECT")
  message(FATAL_ERROR "facts is ${facts_type}")
endif()

string(JSON count LENGTH "${out}" findings)
set(seen "")
set(tally_pass 0)
set(tally_warn 0)
set(tally_fail 0)
set(tally_unknown 0)
set(tally_na 0)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON rule GET "${out}" findings ${i} rule)
  string(JSON status GET "${out}" findings ${i} status)
  string(JSON title_ja GET "${out}" findings ${i} title ja)
  string(JSON remediation_en GET "${out}" findings ${i} remediation en)
  string(JSON mhlw_type TYPE "${out}" findings ${i} mhlw)
  if(NOT status MATCHES "^(pass|warn|fail|unknown|na)$" OR title_ja STREQUAL "" OR
     remediation_en STREQUAL "" OR NOT mhlw_type STREQUAL "ARRAY")
    message(FATAL_ERROR "finding ${rule} is malformed")
  endif()
  if(rule IN_LIST seen)
    message(FATAL_ERROR "${rule} reported twice")
  endif()
  list(APPEND seen ${rule})
  math(EXPR tally_${status} "${tally_${status}} + 1")
endforeach()
if(NOT seen STREQUAL expected_rules)
  message(FATAL_ERROR "rules reported: ${seen}\nexpected: ${expected_rules}")
endif()

foreach(status pass warn fail unknown na)
  string(JSON n GET "${out}" summary ${status})
  if(NOT n EQUAL tally_${status})
    message(FATAL_ERROR "summary.${status} is ${n}, findings say ${tally_${status}}")
  endif()
endforeach()
if(tally_fail GREATER 0 AND NOT rc EQUAL 1)
  message(FATAL_ERROR "${tally_fail} rules failed but the exit status is ${rc}")
endif()
if(tally_fail EQUAL 0 AND NOT rc EQUAL 0)
  message(FATAL_ERROR "nothing failed but the exit status is ${rc}")
endif()
message(STATUS "${hostname}: pass ${tally_pass}, warn ${tally_warn}, fail ${tally_fail}, "
               "unknown ${tally_unknown}, na ${tally_na}; exit ${rc}")
