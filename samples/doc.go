// Package samples holds the example modules; its tests build and exercise each one.
package samples
