/**
 * Engine: the rule contract ({@link dev.hardening.rules.Rule}, {@link dev.hardening.rules.AbstractRule},
 * {@link dev.hardening.rules.RuleInfo}), the rule registry ({@link dev.hardening.rules.RuleCatalogue}) and profiles,
 * the pod spec of any workload with field paths ({@link dev.hardening.rules.PodTarget}), reading submitted objects
 * ({@link dev.hardening.rules.ObjectReader}), image references and fix wording. May use Jackson and the fabric8
 * model only: no framework, no Kubernetes client, no other package of the project (ArchitectureTest).
 */
package dev.hardening.rules;
