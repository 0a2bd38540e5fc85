#include "collector/ctl/collector_client.h"

#include "collector/pki/x509.h"
#include "google/protobuf/descriptor.h"

namespace mamori::ctl {

std::shared_ptr<grpc::Channel> CollectorChannel(const std::string& target,
                                                const ClientBundle& bundle) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = bundle.ca.Pem();
  options.pem_private_key = bundle.key_pem;
  options.pem_cert_chain = bundle.certificate.Pem();
  grpc::ChannelArguments args;
  // Trust comes from the bundle's CA, not from the address: every collector certificate names
  // "mamori-collector", so a server PC reached by its IP address or another name still verifies.
  args.SetSslTargetNameOverride(pki::kCollectorServerName);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(options), args);
}

std::unique_ptr<grpc::ClientContext> CallContextWithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  return context;
}

int CountRows(const google::protobuf::Message& response) {
  const google::protobuf::Descriptor* descriptor = response.GetDescriptor();
  const google::protobuf::Reflection* reflection = response.GetReflection();
  int rows = 0;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() &&
        field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      rows += reflection->FieldSize(response, field);
    }
  }
  return rows;
}

}  // namespace mamori::ctl
