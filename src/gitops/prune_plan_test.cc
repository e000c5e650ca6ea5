#include "gitops/prune_plan.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

ObjectRef config_map(const std::string& name) { return {"v1", "ConfigMap", "shop", name}; }

/// An inventory of `count` ConfigMaps c0, c1, … all live and owned by "shop.web".
PruneInput owned_inventory(int count) {
  PruneInput input;
  input.owner = "shop.web";
  for (int i = 0; i < count; ++i) {
    ObjectRef ref = config_map("c" + std::to_string(i));
    input.inventory.push_back({ref, "d"});
    input.rendered.push_back(ref);
    input.live_owners[ref] = "shop.web";
  }
  return input;
}

TEST(PrunePlan, DeletesWhatTheRenderDroppedInReverseApplyOrder) {
  PruneInput input = owned_inventory(12);  // 3 of 14 go: within 25 %
  ObjectRef ns{"v1", "Namespace", "", "shop"};
  ObjectRef deployment{"apps/v1", "Deployment", "shop", "web"};
  input.inventory.insert(input.inventory.begin(), {ns, "d"});
  input.inventory.push_back({deployment, "d"});
  input.live_owners[ns] = "shop.web";
  input.live_owners[deployment] = "shop.web";
  input.rendered.erase(input.rendered.begin());  // c0 dropped
  PrunePlan plan = plan_prune(input);
  EXPECT_FALSE(plan.refusal);
  EXPECT_EQ(plan.to_delete, (std::vector<ObjectRef>{deployment, config_map("c0"), ns}));
}

TEST(PrunePlan, NeverDeletesWhatAnotherOwnerOrNobodyLabelled) {
  PruneInput input = owned_inventory(8);
  input.rendered.resize(6);  // c6 and c7 dropped
  input.live_owners[config_map("c6")] = "shop.other";
  input.live_owners[config_map("c7")] = std::nullopt;
  PrunePlan plan = plan_prune(input);
  EXPECT_TRUE(plan.to_delete.empty());
  ASSERT_EQ(plan.not_ours.size(), 2u);
  EXPECT_EQ(plan.not_ours[0].second, "is owned by \"shop.other\"");
  EXPECT_EQ(plan.not_ours[1].second, "has no gitops.fusion.dev/owner label");
}

TEST(PrunePlan, SkipsWhatIsAlreadyGone) {
  PruneInput input = owned_inventory(4);
  input.rendered.pop_back();
  input.live_owners.erase(config_map("c3"));
  PrunePlan plan = plan_prune(input);
  EXPECT_TRUE(plan.to_delete.empty());
  EXPECT_EQ(plan.already_gone, std::vector<ObjectRef>{config_map("c3")});
}

TEST(PrunePlan, RefusesAnEmptyRender) {
  PruneInput input = owned_inventory(3);
  input.rendered.clear();
  PrunePlan plan = plan_prune(input);
  EXPECT_TRUE(plan.to_delete.empty());
  EXPECT_EQ(plan.refusal,
            "the render is empty, which would delete all 3 objects of the inventory; nothing was "
            "pruned. Check spec.path and the commit, or set the annotation "
            "gitops.fusion.dev/allow-mass-prune: \"true\" to allow it");
}

TEST(PrunePlan, RefusesDeletingMoreThanTheShareOfTheInventory) {
  PruneInput input = owned_inventory(8);
  input.rendered.resize(6);  // 2 of 8 = 25 %: allowed
  EXPECT_EQ(plan_prune(input).to_delete.size(), 2u);
  input.rendered.resize(5);  // 3 of 8: refused
  PrunePlan plan = plan_prune(input);
  EXPECT_TRUE(plan.to_delete.empty());
  EXPECT_EQ(plan.refusal,
            "the render would delete 3 of 8 objects, more than spec.maxPrunePercent (25%) allows; "
            "nothing was pruned. Check the commit, or set the annotation "
            "gitops.fusion.dev/allow-mass-prune: \"true\" to allow it");
  input.max_prune_percent = 40;
  EXPECT_EQ(plan_prune(input).to_delete.size(), 3u);
}

TEST(PrunePlan, OneObjectIsNeverAMassPrune) {
  PruneInput input = owned_inventory(2);  // 1 of 2 is 50 %, but only one object
  input.rendered.pop_back();
  EXPECT_EQ(plan_prune(input).to_delete, std::vector<ObjectRef>{config_map("c1")});
}

TEST(PrunePlan, TheAnnotationAllowsMassAndEmptyPrunes) {
  PruneInput input = owned_inventory(4);
  input.rendered.clear();
  input.allow_mass_prune = true;
  PrunePlan plan = plan_prune(input);
  EXPECT_FALSE(plan.refusal);
  EXPECT_EQ(plan.to_delete.size(), 4u);
}

TEST(PrunePlan, DoesNothingWhenPruneIsOff) {
  PruneInput input = owned_inventory(4);
  input.rendered.clear();
  input.prune = false;
  PrunePlan plan = plan_prune(input);
  EXPECT_FALSE(plan.refusal);
  EXPECT_TRUE(plan.to_delete.empty());
}

TEST(PrunePlan, ANewApiVersionIsTheSameObject) {
  PruneInput input;
  input.owner = "shop.web";
  ObjectRef old_hpa{"autoscaling/v2beta2", "HorizontalPodAutoscaler", "shop", "web"};
  input.inventory = {{old_hpa, "d"}};
  input.rendered = {{"autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web"}};
  input.live_owners[old_hpa] = "shop.web";
  EXPECT_TRUE(plan_prune(input).to_delete.empty());
  EXPECT_TRUE(prune_candidates(input.inventory, input.rendered).empty());
}

}  // namespace
}  // namespace fusion
