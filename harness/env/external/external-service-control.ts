// Service control of the external provider: the services are the user's, not converge's, so no
// action is possible and each says so; a fault that needs one is reported skipped with this reason.
import { ConvergeError } from '../../errors.ts';
import type { ControlledService, ServiceAction, ServiceControl } from '../service-control.ts';

export class ExternalServiceControl implements ServiceControl {
  readonly provider = 'external' as const;

  unsupported(action: ServiceAction, service: ControlledService): string {
    return `the external provider's ${service} is run by the user, not by converge: it cannot ${action} it`;
  }

  private refuse(action: ServiceAction, service: ControlledService): Promise<never> {
    return Promise.reject(new ConvergeError(this.unsupported(action, service)));
  }

  pause(service: ControlledService): Promise<void> {
    return this.refuse('pause', service);
  }

  resume(service: ControlledService): Promise<void> {
    return this.refuse('resume', service);
  }

  kill(service: ControlledService): Promise<void> {
    return this.refuse('kill', service);
  }

  start(service: ControlledService): Promise<void> {
    return this.refuse('start', service);
  }
}
