// The one converter between the facts model (platform/facts/host_facts.h) and the wire format
// (mamori.v1.HostFacts). The agent uses ToProto before sending; the collector uses FromProto before
// evaluating rules. Both directions are total: validation of untrusted input happens before
// FromProto.
#pragma once

#include "mamori/v1/facts.pb.h"
#include "platform/facts/host_facts.h"

namespace mamori::codec {

mamori::v1::HostFacts ToProto(const facts::HostFacts& facts);
facts::HostFacts FromProto(const mamori::v1::HostFacts& proto);

}  // namespace mamori::codec
