// Package job compares kubepure's Job and TTL-after-finished controllers
// with upstream's on generated states and trajectories.
package job
