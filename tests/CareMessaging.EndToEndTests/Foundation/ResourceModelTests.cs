using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Foundation;

/// <summary>
/// The AppHost's model in each infrastructure mode, inspected without starting anything, so the
/// containers mode is checked on machines that have no container engine.
/// </summary>
public sealed class ResourceModelTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    [Fact]
    public async Task Containers_mode_runs_each_server_as_a_container_with_a_data_volume()
    {
        var resources = await ModelAsync("containers");

        foreach (var name in ResourceNames.Infrastructure)
        {
            var resource = Assert.Single(resources, r => r.Name == name);
            Assert.True(resource.IsContainer(), $"{name} should be a container");
            Assert.Contains(resource.Annotations.OfType<ContainerMountAnnotation>(), mount => mount.Type == ContainerMountType.Volume);
        }
    }

    [Fact]
    public async Task Processes_mode_has_no_container_resource()
    {
        var resources = await ModelAsync("processes");

        Assert.DoesNotContain(resources, r => r.IsContainer());
        foreach (var name in ResourceNames.Infrastructure)
        {
            Assert.IsAssignableFrom<ExecutableResource>(Assert.Single(resources, r => r.Name == name));
        }
    }

    [Fact]
    public async Task External_mode_takes_every_store_as_a_secret_connection_string_parameter()
    {
        var resources = await ModelAsync("external");

        Assert.DoesNotContain(resources, r => r.IsContainer());
        Assert.DoesNotContain(resources, r => r.Name == ResourceNames.Postgres);
        foreach (var name in new[] { ResourceNames.ConversationDb, ResourceNames.AuditDb, ResourceNames.StatsDb, ResourceNames.IdentityDb, ResourceNames.Redis, ResourceNames.Sessions, ResourceNames.Messaging })
        {
            var parameter = Assert.IsAssignableFrom<ParameterResource>(Assert.Single(resources, r => r.Name == name));
            Assert.IsAssignableFrom<IResourceWithConnectionString>(parameter);
            Assert.True(parameter.Secret, $"{name} holds credentials and must be a secret");
        }
    }

    [Theory]
    [InlineData("processes")]
    [InlineData("containers")]
    public async Task Every_project_waits_for_the_stores_it_uses_and_has_a_health_check(string mode)
    {
        var resources = await ModelAsync(mode);

        foreach (var name in ResourceNames.Projects)
        {
            var project = Assert.Single(resources, r => r.Name == name);
            Assert.Contains(project.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
            var waits = project.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
            // Every store and the broker it uses. Secret parameters are values, not servers; which
            // services a project waits for is checked below where it matters.
            foreach (var reference in project.Annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(r => r.Type == "Reference" && r.Resource is IResourceWithConnectionString and not ParameterResource))
            {
                Assert.Contains(reference.Resource.Name, waits);
            }
        }
    }

    [Theory]
    [InlineData(ResourceNames.Notification)]
    [InlineData(ResourceNames.Stats)]
    public async Task A_read_model_starts_after_the_conversation_and_identity_services_it_is_built_from(string name)
    {
        var resources = await ModelAsync("processes");

        // Its first rebuild needs the Conversation service's export and an Identity token, and it
        // is not ready until that rebuild is done (ADR 0036): waiting for both lets it succeed at once.
        var project = Assert.Single(resources, r => r.Name == name);
        var waits = project.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
        Assert.Contains(ResourceNames.Conversation, waits);
        Assert.Contains(ResourceNames.Identity, waits);
    }

    [Fact]
    public async Task Local_runs_start_each_service_as_its_own_program_at_its_own_port()
    {
        var resources = await ModelAsync("processes");

        foreach (var project in resources.OfType<ProjectResource>())
        {
            // The process the dashboard shows is the service, not a dotnet run that could orphan it.
            var program = project.Annotations.OfType<ExecutableAnnotation>().Last();
            Assert.Equal(Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath), Path.GetFileName(program.Command));
            // The gateway reaches a restarted service directly, never through the AppHost's proxy.
            Assert.All(project.Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.False(endpoint.IsProxied, $"{project.Name}'s {endpoint.Name} endpoint is proxied"));
        }
    }

    [Theory]
    [InlineData("processes")]
    [InlineData("containers")]
    public async Task Each_service_signs_in_to_its_database_with_a_login_of_its_own_and_the_audit_trail_as_its_writer(string mode)
    {
        var resources = await ModelAsync(mode);

        foreach (var (service, database, login) in new[]
        {
            (ResourceNames.Conversation, ResourceNames.ConversationDb, ResourceNames.Conversation),
            (ResourceNames.Stats, ResourceNames.StatsDb, ResourceNames.Stats),
            (ResourceNames.Identity, ResourceNames.IdentityDb, ResourceNames.Identity),
            (ResourceNames.Audit, ResourceNames.AuditDb, "audit_writer"),
        })
        {
            var project = Assert.IsAssignableFrom<ProjectResource>(Assert.Single(resources, r => r.Name == service));
            var environment = new Dictionary<string, object>();
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), project, environment);
            foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            var connectionString = Assert.IsAssignableFrom<IValueProvider>(environment[$"ConnectionStrings__{database}"]) as IManifestExpressionProvider;
            Assert.Contains($"Username={login};", connectionString!.ValueExpression, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _state.Dispose();

    private async Task<IReadOnlyList<IResource>> ModelAsync(string mode)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CareMessaging_AppHost>(
            [$"Infrastructure:Mode={mode}", $"Infrastructure:StateDirectory={_state.Path}"])
            .WaitAsync(TestTimeouts.Request);
        return [.. builder.Resources];
    }
}
