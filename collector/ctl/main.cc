// mamorictl: the clinic admin's and the IT vendor's remote view of the collector (CollectorAdmin
// over mutual TLS with a person's certificate bundle).
#include "collector/ctl/commands.h"

int main(int argc, char** argv) { return mamori::ctl::RunMamorictl(argc, argv); }
