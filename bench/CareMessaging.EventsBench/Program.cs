// Measures the event-driven services on this machine's real servers (PostgreSQL, Redis and RabbitMQ
// started as local processes, as in the tests): how many events per second the Notification and
// Audit consumers apply, how long a message takes from publication to a user's SignalR push, and
// how long one audit append takes while others append concurrently. Figures go to docs/benchmarks.md.
//
//   dotnet run -c Release --project bench/CareMessaging.EventsBench [-- --events 5000 --pushes 500]
using CareMessaging.EventsBench;
using CareMessaging.Testing;

var events = Arguments.Int(args, "--events", 5000);
var pushes = Arguments.Int(args, "--pushes", 500);

using var state = new TemporaryStateDirectory();
Console.WriteLine("Starting PostgreSQL, Redis and RabbitMQ ...");
await using var infrastructure = await InfrastructureStack.StartAsync(state.Path);
var servers = await BenchServers.ConnectAsync(infrastructure);

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();
await NotificationBench.RunAsync(servers, events, pushes);
Console.WriteLine();
await AuditBench.RunAsync(servers, events);
