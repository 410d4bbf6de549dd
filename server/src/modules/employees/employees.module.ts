import { Employee } from './employee.entity';
import { EmployeeResolver } from './employee.resolver';
import { EmployeeService } from './employee.service';
import { defineRecordModule } from '../module';

/** Employees and their permissions (the ceiling of every key made on them). */
export const employeesModule = defineRecordModule({
  name: 'employees',
  record: { employee: Employee },
  resolvers: [EmployeeResolver],
  services: ({ db }) => ({ employees: new EmployeeService(db) }),
});
