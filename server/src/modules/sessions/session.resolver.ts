import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../request-context';
import { markLoginSubject } from '../../rules/fields';
import { Employee } from '../employees/employee.entity';
import { checkLoginInput, loginIdentity } from './session.service';

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
    // lengths first: nothing over-long becomes a lookup or a limiter key
    checkLoginInput(email, password);
    const account = await services.sessions.findAccount(email);
    // brute force: failures are counted per (account, address), per account and per address
    const identity = loginIdentity(email, account);
    await services.rateLimits.loginAttempt(identity, clientIp);
    const result = await services.sessions.login(account, password, now);
    markLoginSubject(result.employee);
    await services.rateLimits.loginSucceeded(identity, clientIp);
    return result;
  }

  @Mutation(() => Boolean, { description: 'Ends the calling session.' })
  logout(@Ctx() { acting, services }: RequestContext) {
    return services.sessions.logout(acting);
  }
}
