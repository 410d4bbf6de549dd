import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/request-context';
import { markLoginSubject } from '../../rules/fields';
import { Employee } from '../employees/employee.entity';

@ObjectType({ simpleResolvers: true, description: 'A new session. Send the token as `Authorization: Bearer <token>`.' })
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
  async login(
    @Arg('email') email: string,
    @Arg('password') password: string,
    @Ctx() { services, now, clientIp }: RequestContext,
  ) {
    // brute force: attempts are counted per email and per client IP before the password is checked
    await services.rateLimits.loginAttempt(email, clientIp);
    const result = await services.sessions.login(email, password, now);
    markLoginSubject(result.employee);
    await services.rateLimits.loginSucceeded(email);
    return result;
  }

  @Mutation(() => Boolean, { description: 'Ends the calling session.' })
  logout(@Ctx() { acting, services }: RequestContext) {
    return services.sessions.logout(acting);
  }
}
