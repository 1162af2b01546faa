package dev.meshproof.mesh;

import java.nio.file.Path;
import java.util.List;

/**
 * Installs a mesh on a cluster and removes it again. One implementation per mesh ({@link IstioInstaller});
 * the mode (ambient, sidecar, hybrid) is part of its {@link InstallPlan}.
 */
public interface MeshInstaller {

    /** The ordered steps this installer runs; printed by {@code install --dry-run}. */
    InstallPlan plan();

    /** Runs the plan: applies every step in order and waits for what each step names. Fails with exit 3 on a time-out. */
    void install();

    /** Deletes, in reverse order, everything the install created (per its in-cluster inventory), and waits until it is gone. */
    void uninstall();

    /** The rendered manifests written so far (the diagnostics dump copies them). */
    List<Path> appliedManifests();
}
