// libFuzzer target: any bytes as a source tree (lines "=== path" start each file) through
// detection of every folder, the report and the JSON, the draft registry, and each Dockerfile
// scaffold. The draft must validate. No crash, hang or sanitizer report allowed.

#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/session.h"
#include "detect/detect.h"
#include "detect/detection_report.h"
#include "scaffold/dockerfile.h"
#include "scaffold/draft_registry.h"

namespace {

fusion::SourceSnapshot snapshot_of(const std::string& input) {
  fusion::SourceSnapshot snapshot;
  const std::string marker = "=== ";
  size_t at = input.find(marker);
  while (at != std::string::npos) {
    size_t name_end = input.find('\n', at);
    if (name_end == std::string::npos) break;
    std::string path = input.substr(at + marker.size(), name_end - at - marker.size());
    size_t next = input.find("\n" + marker, name_end);
    std::string content =
        input.substr(name_end + 1, next == std::string::npos ? std::string::npos : next - name_end);
    if (!path.empty() && path.front() != '/' && path.find("..") == std::string::npos) {
      snapshot.add(path, content);
    }
    at = next == std::string::npos ? next : next + 1;
  }
  return snapshot;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  fusion::SourceSnapshot snapshot = snapshot_of(input);
  std::vector<fusion::Detection> found = fusion::detect_projects(snapshot, "fuzz");
  std::string text = fusion::render_detections(found);
  text += fusion::detections_to_json(found).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
  fusion::Draft draft = fusion::draft_registry({"fuzz", found, {}});
  fusion::CheckedRegistry checked;
  checked.path = "/ws/fusion.yaml";
  fusion::check_registry_text(checked, draft.text, nullptr, {});
  if (checked.diagnostics.has_errors()) __builtin_trap();  // init must write a valid draft
  for (const fusion::Detection& d : found) {
    const fusion::Service* service = checked.registry.find_service(d.name);
    if (service) (void)fusion::scaffold_dockerfile(d, *service, fusion::Templates{});
  }
  return 0;
}
