import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/request-context';
import { Employee } from '../employees/employee.entity';

@ObjectType({ description: 'A new session. Send the token as `Authorization: Bearer <token>`.' })
export class LoginPayload {
  @Field()
  token!: string;

  @Field(() => Employee)
  employee!: Employee;

  @Field(() => Date)
  expiresAt!: Date;
}

@Resolver()
export class SessionResolver {
  @Mutation(() => LoginPayload, { description: 'Logs in with email and password; open to every caller.' })
  login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() { services, now }: RequestContext) {
    return services.sessions.login(email, password, now);
  }

  @Mutation(() => Boolean, { description: 'Ends the calling session.' })
  logout(@Ctx() { acting, services }: RequestContext) {
    return services.sessions.logout(acting);
  }
}
