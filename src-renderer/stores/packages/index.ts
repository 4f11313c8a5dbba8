// The window's packages store, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { createPackagesStore, type PackagesStore } from './packages-store';

export const packagesStore = createPackagesStore(bridge());

export function usePackages<T>(selector: (state: PackagesStore) => T): T {
  return useStore(packagesStore, selector);
}

export { progressFraction, selectInstalledInSelectedEnv, selectJobRunning, selectRecommendations } from './packages-store';
export type { CatalogEntry, Environment, Health, InstallJob, InstalledRock, PackageDetail } from './packages-store';
