namespace Alrs.Messages;

// A population of controllers (alrs.population): K learners share the environments. The
// population actor assigns every environment to one controller; an environment plays each
// episode with its controller's policy and stamps the controller on what it sends.

/// <summary>
/// From the population to an environment actor: play with <see cref="Controller"/>'s policy
/// from the next episode on (an episode never mixes controllers, so every controller's
/// exactly-once watermarks see whole episodes).
/// </summary>
public sealed record AssignController(int Controller);
