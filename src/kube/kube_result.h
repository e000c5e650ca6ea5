#pragma once
// The return type of every call to the Kubernetes API: the value, or the typed ApiError.

#include <utility>
#include <variant>

#include "kube/api_error.h"

namespace fusion {

template <class T>
class KubeResult {
 public:
  KubeResult(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  KubeResult(ApiError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const ApiError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, ApiError> state_;
};

}  // namespace fusion
