extern alias identity;

using CareMessaging.Contracts;
using identity::CareMessaging.Identity.Accounts;

namespace CareMessaging.UnitTests.Identity;

public sealed class MfaPolicyTests
{
    [Theory]
    [InlineData(Roles.Clinician, true)]
    [InlineData(Roles.Nurse, true)]
    [InlineData(Roles.Staff, true)]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Compliance, true)]
    [InlineData(Roles.Patient, false)]
    public void Outside_development_staff_need_an_authenticator_and_patients_do_not(string role, bool required) =>
        Assert.Equal(required, new IdentitySettings().MfaRequiredFor(role, isDevelopment: false));

    [Fact]
    public void In_development_the_default_is_one_step_sign_in()
    {
        Assert.False(new IdentitySettings().MfaRequiredFor(Roles.Clinician, isDevelopment: true));
        Assert.True(new IdentitySettings { RequireMfaForStaff = true }.MfaRequiredFor(Roles.Clinician, isDevelopment: true));
    }

    [Fact]
    public void Access_tokens_are_short_lived_by_default() =>
        Assert.Equal(TimeSpan.FromMinutes(5), new IdentitySettings().AccessTokenLifetime);
}
