import React from 'react';

export function UserCard({ user, onSelect }) {
  const initials = user.name
    .split(' ')
    .map((part) => part[0])
    .join('');
  return (
    <div className="card" onClick={() => onSelect(user.id)}>
      <span className="avatar">{initials}</span>
      <div className="details">
        <h3>{user.name}</h3>
        <p>{user.email}</p>
        <p>{user.role}</p>
      </div>
    </div>
  );
}
