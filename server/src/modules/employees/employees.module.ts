import { Employee } from './employee.entity';
import { EmployeeResolver } from './employee.resolver';
import { EmployeeService } from './employee.service';
import { defineModule } from '../module';

/** Employees and their permissions (the ceiling of every key made on them). */
export const employeesModule = defineModule({
  name: 'employees',
  entities: [Employee],
  resolvers: [EmployeeResolver],
  services: ({ db }) => ({ employees: new EmployeeService(db) }),
  recordsById: { employee: Employee },
});
