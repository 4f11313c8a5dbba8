// Every CLI command, by domain. Add a domain's list here.
import type { CliCommand } from '../command';

export const commands: CliCommand[] = [];
