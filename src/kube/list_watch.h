#pragma once
// What client-go's reflector does: list, then watch from the list's version; when the watch
// ends (the server's timeout, a dropped connection) watch again from the last version seen;
// when that version is gone (410: compacted), list again. The caller sees a whole list
// (`on_list`) and then each change (`on_event`), and says when to stop.

#include <functional>
#include <string>

#include "kube/kube_client.h"

namespace fusion {

struct ListWatchHandlers {
  /// A full list; after a 410 it replaces everything seen before. False stops.
  std::function<bool(const ObjectList&)> on_list;
  /// A change after the last list. False stops.
  std::function<bool(const WatchEvent&)> on_event;
};

struct ListWatchStats {
  int lists = 0;    ///< 1 + the relists after 410 Gone
  int watches = 0;  ///< watch requests made
};

/// Runs until a handler returns false, or an error other than 410 Gone (returned). A watch
/// that ends without error is resumed at once; `max_watches` bounds them (0: no bound).
KubeResult<ListWatchStats> list_watch(
    KubeClient& client, const std::string& api_version, const std::string& kind,
    const std::string& namespace_, const ListOptions& selection, const ListWatchHandlers& handlers,
    std::chrono::seconds watch_timeout = std::chrono::seconds(300), int max_watches = 0,
    std::string resume_from = "");

}  // namespace fusion
