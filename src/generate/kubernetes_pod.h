#pragma once
// The parts of a Kubernetes pod that come from the compose-named keys of a service (user,
// capabilities, tmpfs, shm_size, extra_hosts, gpus, stop_grace_period, …), and the notes a
// service's file carries about what Kubernetes cannot express. Kubernetes does not interpolate:
// values are resolved here the same way for images, commands, args, probes and env.

#include <string>
#include <string_view>
#include <vector>

#include "generate/context.h"
#include "generate/yaml_emitter.h"

namespace fusion {

/// `# fusion: …` comment lines for a service's file; each line once. `key` notes also go to
/// ctx.notes with the service and the position of the key.
class KubeNotes {
 public:
  KubeNotes(const GenerateContext& ctx, const Service& service) : ctx_(ctx), service_(service) {}
  void add(std::string line);
  /// `key` of the service, at `pos`, cannot be expressed: `why`.
  void key(std::string_view key, const SourcePos& pos, std::string_view why);
  std::string text() const;

 private:
  const GenerateContext& ctx_;
  const Service& service_;
  std::vector<std::string> lines_;
};

/// ${VAR:-default} → default; ${VAR} without one → empty (noted); $$ → $.
std::string for_cluster(std::string_view text, std::string_view where, KubeNotes& notes);
/// As for_cluster, and "$(" → "$$(" (the kubelet expands $(VAR) in command and args).
std::string for_args(std::string_view text, std::string_view where, KubeNotes& notes);

/// Adds what the compose-named keys mean to the pod spec and its (only) container.
void apply_run_keys(const GenerateContext& ctx, const Service& s, YamlData& pod,
                    YamlData& container, KubeNotes& notes);

}  // namespace fusion
