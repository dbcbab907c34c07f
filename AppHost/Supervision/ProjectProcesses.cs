using System.Reflection;
using System.Runtime.Versioning;

namespace CareMessaging.AppHost.Supervision;

/// <summary>
/// Local runs start each service as its own built program, reached at its own port, rather than
/// through <c>dotnet run</c> and the AppHost's local proxy (ADR 0007). The process the dashboard
/// shows, stops and restarts is then the service itself: a kill of that process ends the service
/// instead of orphaning it with its port and its console, a stop reaches it at once, and a
/// service started again is reached at the same address with no proxy in between that could
/// keep holding connections for the process that died.
/// </summary>
public static class ProjectProcesses
{
    public static IDistributedApplicationBuilder RunProjectsDirectly(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        // The services are built with the AppHost (project references), in its configuration.
        var assembly = typeof(ProjectProcesses).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = "net" + new FrameworkName(assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName).Version.ToString(2);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var projectPath = project.GetProjectMetadata().ProjectPath;
            var directory = Path.GetDirectoryName(projectPath)!;
            var program = Path.Combine(directory, "bin", configuration, framework, Path.GetFileNameWithoutExtension(projectPath));
            // A build laid out differently keeps Aspire's default (dotnet run), which still works.
            if (File.Exists(program))
            {
                project.Annotations.Add(new ExecutableAnnotation { Command = program, WorkingDirectory = directory });
            }

            // Replicas are reached through Aspire's proxy, which spreads connections over them as a
            // Kubernetes Service does (ADR 0055); it cannot be left out for them.
            if (project.Annotations.OfType<ReplicaAnnotation>().Any(replicas => replicas.Replicas > 1))
            {
                continue;
            }

            // Endpoints whose proxying was decided on purpose (the gateway's fixed public port) stay as they are.
            foreach (var endpoint in project.Annotations.OfType<EndpointAnnotation>().Where(e => e.IsExplicitlyProxied is null))
            {
                endpoint.IsProxied = false;
                // No fixed port: Aspire picks a free one for this run, kept across restarts of the service.
                endpoint.Port = null;
                endpoint.TargetPort = null;
            }
        }

        return builder;
    }
}
