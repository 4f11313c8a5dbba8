// Every CLI command, by domain. Add a domain's list here.
import type { CliCommand } from '../command';
import { hypervisorCommands } from './hypervisor';
import { netCommands } from './net';
import { olfiCommands } from './olfi';
import { packagesCommands } from './packages';
import { serveCommands } from './serve';
import { vmCommands } from './vm';

export const commands: CliCommand[] = [];
commands.push(...hypervisorCommands);
commands.push(...packagesCommands);
commands.push(...netCommands);
commands.push(...vmCommands);
commands.push(...serveCommands);
commands.push(...olfiCommands);
