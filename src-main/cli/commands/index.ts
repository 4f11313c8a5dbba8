// Every CLI command, by domain. Add a domain's list here.
import type { CliCommand } from '../command';
import { hypervisorCommands } from './hypervisor';
import { packagesCommands } from './packages';

export const commands: CliCommand[] = [];
commands.push(...hypervisorCommands);
commands.push(...packagesCommands);
