#include "kube/list_watch.h"

namespace fusion {

KubeResult<ListWatchStats> list_watch(KubeClient& client, const std::string& api_version,
                                      const std::string& kind, const std::string& namespace_,
                                      const ListOptions& selection,
                                      const ListWatchHandlers& handlers,
                                      std::chrono::seconds watch_timeout, int max_watches,
                                      std::string resume_from) {
  ListWatchStats stats;
  std::string version = std::move(resume_from);
  bool stopped = false;
  while (!stopped) {
    if (version.empty()) {
      KubeResult<ObjectList> list = client.list(api_version, kind, namespace_, selection);
      if (!list.ok()) return list.error();
      ++stats.lists;
      version = list->resource_version;
      if (!handlers.on_list(list.value())) break;
    }
    if (max_watches > 0 && stats.watches >= max_watches) break;
    ++stats.watches;
    WatchOptions options;
    options.label_selector = selection.label_selector;
    options.field_selector = selection.field_selector;
    options.resource_version = version;
    options.server_timeout = watch_timeout;
    KubeResult<std::string> resume =
        client.watch(api_version, kind, namespace_, options, [&](const WatchEvent& event) {
          if (!handlers.on_event(event)) stopped = true;
          return !stopped;
        });
    if (resume.ok()) {
      version = resume.value();
    } else if (resume.error().gone()) {
      version.clear();  // compacted: only a new list tells the truth
    } else {
      return resume.error();
    }
  }
  return stats;
}

}  // namespace fusion
