package dev.hardening.operator;

import dev.hardening.policy.HardeningPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

@ControllerConfiguration(name = HardeningPolicyReconciler.NAME)
public class HardeningPolicyReconciler implements Reconciler<HardeningPolicy> {

    public static final String NAME = "hardeningpolicy";

    @Override
    public UpdateControl<HardeningPolicy> reconcile(HardeningPolicy resource, Context<HardeningPolicy> context) {
        return UpdateControl.noUpdate();
    }
}
