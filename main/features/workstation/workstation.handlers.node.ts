import { AppError } from '../../platform/ipc/errors.std.ts';
import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { workstationChannels } from './workstation.contract.std.ts';
import type { WorkstationService } from './workstation.node.ts';

/** The open console's side. The recovery screen's import runs in recovery.node.ts, where no database is open. */
export function workstationHandlers(service: WorkstationService): ChannelHandlers<typeof workstationChannels> {
  return {
    'workstation.connection.get': async () => service.view(),
    'workstation.connection.save': async (input, ctx) => {
      const view = await service.save(input.connection, input.password);
      // Which settings, never their values: a host name is not PII, but audit details hold no values at all.
      ctx.auditDetails({ engine: input.connection.engine, tls: input.connection.engine === 'postgresql' ? input.connection.tls.mode : 'none', passwordChanged: input.password !== undefined });
      return view;
    },
    'workstation.connection.test': async (input, ctx) => {
      const result = await service.test(input.connection, input.password);
      ctx.auditDetails({ engine: input.connection.engine, outcome: result.outcome });
      return result;
    },
    'workstation.enrolment.create': async (input, ctx) => {
      const { audit, ...created } = await service.createEnrolment(ctx.q, input);
      ctx.auditDetails(audit);
      return created;
    },
    'workstation.recovery.status': async () => ({ mode: 'open' as const }),
    'workstation.recovery.enrol': async () => {
      throw new AppError('CONFLICT', 'This workstation already opens its database, so there is nothing to enrol. Nothing was changed.');
    },
  };
}
