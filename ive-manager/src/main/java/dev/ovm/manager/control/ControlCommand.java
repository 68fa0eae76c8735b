package dev.ovm.manager.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One operator command, parsed and checked for form (arity, {@code KEY=VALUE} shape) but not yet
 * for meaning (whether the VM exists, whether the policy accepts a parameter): that depends on
 * the live VMM and is checked by {@link VmmControl} when it runs the command. The three front ends
 * (interactive console, JSON control socket, {@code ovm ctl}) all build these through {@link
 * CommandParser} and run them through {@link VmmControl}.
 */
public sealed interface ControlCommand {

  /** {@code help [COMMAND]}: the command list, or one command's usage and description. */
  record Help(Optional<String> command) implements ControlCommand {}

  /** {@code info vms}: every VM with its state, vCPUs, pool and instructions retired. */
  record InfoVms() implements ControlCommand {}

  /** {@code info pools}: every pool with its physical CPUs, policy and VMs. */
  record InfoPools() implements ControlCommand {}

  /** {@code info vm NAME}: one VM in detail, with its policy parameters. */
  record InfoVm(String vm) implements ControlCommand {}

  /** {@code stats}: the per-VM statistics table {@code ovm run} prints at exit, now. */
  record Stats() implements ControlCommand {}

  /** {@code pause VM}. */
  record Pause(String vm) implements ControlCommand {}

  /** {@code resume VM}. */
  record Resume(String vm) implements ControlCommand {}

  /** {@code reset VM}: back to the just-created state, then running again. */
  record Reset(String vm) implements ControlCommand {}

  /** {@code destroy VM}: end the VM (status 0, "destroyed by the operator"). */
  record Destroy(String vm) implements ControlCommand {}

  /** {@code swap POOL POLICY}: hot-swap a pool's policy with state transfer. */
  record Swap(String pool, String policy) implements ControlCommand {}

  /**
   * {@code set VM KEY=VALUE...}: policy parameters of a VM, applied as a set.
   *
   * @param parameters at least one, in the order given
   */
  record Set(String vm, Map<String, String> parameters) implements ControlCommand {
    /** Copies the parameters, keeping their order. */
    public Set {
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
  }

  /**
   * {@code set-pool POOL KEY=VALUE...}: pool-wide policy parameters (e.g. credit's {@code slice}),
   * applied as a set.
   *
   * @param parameters at least one, in the order given
   */
  record SetPool(String pool, Map<String, String> parameters) implements ControlCommand {
    /** Copies the parameters, keeping their order. */
    public SetPool {
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
  }

  /** {@code move VM POOL}: move a running VM to another pool. */
  record Move(String vm, String pool) implements ControlCommand {}

  /** {@code policies}: the registered policy names. */
  record Policies() implements ControlCommand {}

  /** {@code quit}: stop every VM and end the VMM, as Ctrl-A x does. */
  record Quit() implements ControlCommand {}
}
