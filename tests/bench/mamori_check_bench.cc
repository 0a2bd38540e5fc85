// What one mamori-check run costs on this machine, without the package-manager simulation: every
// Linux probe on the live root "/", the rules, and the JSON report, as agent/check/main.cc does
// them. The simulation (apt-get -s dist-upgrade, seconds of CPU in a child process) runs at most
// hourly and is left out, as issue 4's target says: the patch slot gets a probe with no update
// source.
#include <sys/resource.h>

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/check/check_report.h"
#include "platform/linux/patch_probe.h"
#include "platform/probe.h"
#include "platform/rules/evaluate.h"
#include "platform/rules/policy.h"
#include "platform/rules/rule_catalogue.h"

namespace mamori {
namespace {

platform::ProbeRegistry HostProbesWithoutAptSimulation(const platform::ProbeEnvironment& env) {
  platform::ProbeRegistry probes = platform::MakeHostProbes(env);
  probes.patch = std::make_unique<platform::LinuxPatchProbe>(env, nullptr);
  return probes;
}

std::string RenderJson(const facts::HostFacts& facts, const rules::Policy& policy,
                       facts::Timestamp now) {
  const std::vector<rules::Finding> findings = rules::Evaluate(facts, policy, now);
  const rules::EffectiveRole role = rules::DetermineRole(facts.inventory, policy);
  return check::CheckReportJson(check::CheckResult{facts, findings, role, now}).dump(2);
}

double ChildCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Commands a probe runs (nft, when installed) cost CPU in children, which the process CPU time
// does not include; reported beside it so the figure cannot hide them.
void ReportChildCpu(benchmark::State& state, double child_cpu_before) {
  state.counters["child_cpu_ms"] = benchmark::Counter((ChildCpuSeconds() - child_cpu_before) * 1e3,
                                                      benchmark::Counter::kAvgIterations);
}

// The whole run: probes built and collected, rules evaluated, JSON rendered.
void BM_MamoriCheckOnThisHost(benchmark::State& state) {
  const platform::ProbeEnvironment env;
  const rules::Policy policy;
  const double child_cpu_before = ChildCpuSeconds();
  for (auto _ : state) {
    const facts::Timestamp now = env.now();
    platform::ProbeRegistry probes = HostProbesWithoutAptSimulation(env);
    const facts::HostFacts facts = platform::CollectHostFacts(probes, env);
    std::string json = RenderJson(facts, policy, now);
    benchmark::DoNotOptimize(json);
  }
  ReportChildCpu(state, child_cpu_before);
}
BENCHMARK(BM_MamoriCheckOnThisHost)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

// The probes alone: where the time goes when the whole run is slow.
void BM_CollectHostFactsOnThisHost(benchmark::State& state) {
  const platform::ProbeEnvironment env;
  const double child_cpu_before = ChildCpuSeconds();
  for (auto _ : state) {
    platform::ProbeRegistry probes = HostProbesWithoutAptSimulation(env);
    facts::HostFacts facts = platform::CollectHostFacts(probes, env);
    benchmark::DoNotOptimize(facts);
  }
  ReportChildCpu(state, child_cpu_before);
}
BENCHMARK(BM_CollectHostFactsOnThisHost)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

// Rules and JSON on facts collected once.
void BM_EvaluateAndRenderJson(benchmark::State& state) {
  const platform::ProbeEnvironment env;
  const rules::Policy policy;
  platform::ProbeRegistry probes = HostProbesWithoutAptSimulation(env);
  const facts::HostFacts facts = platform::CollectHostFacts(probes, env);
  const facts::Timestamp now = env.now();
  for (auto _ : state) {
    std::string json = RenderJson(facts, policy, now);
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_EvaluateAndRenderJson)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mamori
